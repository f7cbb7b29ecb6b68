import type { ProviderSaid } from './providerSaid.js';

// Codes and types that mean "pay or raise a limit", never "wait a moment".
const BILLING_CODES = new Set([
  'insufficient_quota',
  'billing_error',
  'billing_hard_limit_reached',
  'billing_not_active',
  'payment_required',
  'insufficient_credits',
  'linked_organization_billing_unavailable',
]);

// Anthropic spells spend caps `enforced_spend_limit_reached`, `contract_spend_limit_reached`,
// `linked_organization_spend_limit_reached`: any `…spend_limit_reached` is one.
const BILLING_CODE_PATTERN = /^billing_|spend_limit_reached$/;

/**
 * Wordings that mean billing. Deliberately narrow: OpenAI's free-tier rate-limit message ends
 * with "add a payment method … /account/billing", and Gemini says "Quota exceeded for quota
 * metric … per minute" for plain throttling, so "billing", "payment" and a bare "quota" are
 * NOT in here.
 */
const BILLING_MESSAGE =
  /spend(?:ing)? limit|insufficient[_ ]quota|exceeded your current quota|credit balance|insufficient (?:credits|balance|funds)|out of credits|purchase credits/i;

/**
 * Whether the provider's code or type says the account cannot pay (OpenAI
 * `insufficient_quota`, Anthropic `billing_error` or a `…spend_limit_reached` code).
 * Codes are exact and outrank any wording.
 *
 * @example
 * ```ts
 * hasBillingCode({ type: 'rate_limit_error', code: 'enforced_spend_limit_reached' }); // true
 * ```
 */
export function hasBillingCode(said: ProviderSaid): boolean {
  return [said.code, said.type].some(
    (value) => value !== undefined && (BILLING_CODES.has(value) || BILLING_CODE_PATTERN.test(value)),
  );
}

/**
 * Whether the provider's message says the account cannot pay ("credit balance is too low",
 * "spend limit", "exceeded your current quota").
 *
 * @example
 * ```ts
 * hasBillingMessage({ message: 'Your credit balance is too low to access the Anthropic API.' }); // true
 * hasBillingMessage({ message: 'Rate limit reached … add a payment method at …/account/billing' }); // false
 * ```
 */
export function hasBillingMessage(said: ProviderSaid): boolean {
  return said.message !== undefined && BILLING_MESSAGE.test(said.message);
}
