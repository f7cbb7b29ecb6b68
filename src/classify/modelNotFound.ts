import type { ProviderSaid } from './providerSaid.js';

/**
 * Whether a 404's payload names the model ("model: claude-x", "The model `gpt-x` does not
 * exist", "model 'llama3' not found", code `model_not_found`). A 404 that does not (FastAPI
 * `{"detail":"Not Found"}` from a wrong base URL) is about the endpoint, not the model.
 *
 * @example
 * ```ts
 * notFoundNamesModel({ type: 'not_found_error', message: 'model: claude-nope' }); // true
 * notFoundNamesModel({ message: 'Not Found' }); // false
 * ```
 */
export function notFoundNamesModel(said: ProviderSaid): boolean {
  return said.code === 'model_not_found' || (said.message !== undefined && /\bmodels?\b/i.test(said.message));
}

// On a 400/422 the word "model" alone is far too common ("This model's maximum context length"),
// so only phrasings that say the model itself is unknown count.
const INVALID_MODEL_MESSAGE =
  /\b(?:invalid|unknown|unsupported|not a valid|no such)\s+model\b|\bmodel\b[^\n]{0,80}?\b(?:not found|does not exist|is not supported|is invalid|is not available)\b/i;

/**
 * Whether a 400/422 says the requested model does not exist (LiteLLM "Invalid model name",
 * OpenRouter "is not a valid model ID", code `model_not_found`). That is configuration, not a
 * fault of this one request.
 *
 * @example
 * ```ts
 * badRequestNamesUnknownModel({ message: 'foo/bar is not a valid model ID' }); // true
 * badRequestNamesUnknownModel({ message: "This model's maximum context length is 8192 tokens" }); // false
 * ```
 */
export function badRequestNamesUnknownModel(said: ProviderSaid): boolean {
  return said.code === 'model_not_found' || (said.message !== undefined && INVALID_MODEL_MESSAGE.test(said.message));
}
