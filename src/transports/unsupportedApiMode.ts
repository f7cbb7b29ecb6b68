import type { ClassifiedFailure } from '../classify/failure.js';
import { makeFailure } from '../classify/makeFailure.js';
import type { BackendEntry } from '../config/routerConfig.js';

/**
 * The error for an entry whose api mode no transport speaks yet (`responses`). Kept as the
 * `error` of the failed {@link CallOutcome}, and thrown by `sdkClientFor`.
 *
 * @example
 * ```ts
 * const outcome = await sdkTransport().call(responsesEntry, request, { limits });
 * if (!outcome.ok && outcome.error instanceof UnsupportedApiModeError) console.error(outcome.error.message);
 * ```
 */
export class UnsupportedApiModeError extends Error {
  override readonly name = 'UnsupportedApiModeError';
  constructor(readonly apiMode: string, readonly label: string) {
    super(
      `${label}: api_mode "${apiMode}" is not supported by the SDK transport yet; ` +
        'use api_mode anthropic_messages or chat_completions for this backend, or remove the entry',
    );
  }
}

/**
 * The failure for a call to an entry whose api mode is not supported: `auth_config` (it will
 * not work until someone changes the config, so the router should route around it), reason
 * `unsupported_api_mode`, nothing sent.
 *
 * @example
 * ```ts
 * unsupportedApiModeFailure(entry).reason; // 'unsupported_api_mode'
 * ```
 */
export function unsupportedApiModeFailure(entry: BackendEntry): { failure: ClassifiedFailure; error: UnsupportedApiModeError } {
  const error = new UnsupportedApiModeError(entry.apiMode, entry.label);
  return { failure: makeFailure({ kind: 'auth_config', reason: 'unsupported_api_mode', message: error.message }), error };
}
