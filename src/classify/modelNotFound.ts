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
  return said.code === 'model_not_found' || (said.message !== undefined && MODEL_NAMED_404.test(said.message));
}

// "model" as a word, not as part of a path ("Not Found: /v1/models" is a wrong base URL).
const MODEL = String.raw`(?<![/\w])models?\b`;
// The model is named and said to be missing: Anthropic "model: claude-x", OpenAI "The model `x`
// does not exist", Ollama "model 'x' not found", or "unknown/no such/invalid model".
const MODEL_NAMED_404 = new RegExp(
  String.raw`${MODEL}\s*:\s*\S|${MODEL}[^\n]{0,80}?\b(?:not found|does not exist|is not available)\b|\b(?:unknown|no such|invalid)\s+${MODEL}`,
  'i',
);

// On a 400/422 the word "model" alone is far too common ("This model's maximum context length",
// "Invalid model parameter temperature", "model x is not supported for the 'tools' parameter"),
// so only phrasings that say the model itself is unknown count.
const INVALID_MODEL_MESSAGE = new RegExp(
  String.raw`\b(?:invalid|unknown|unsupported|not a valid|no such)\s+${MODEL}(?!\s+(?:parameters?|params?|fields?|options?|settings?|arguments?)\b)` +
    String.raw`|${MODEL}[^\n]{0,80}?\b(?:not found|does not exist|is invalid|is not available|is not supported(?!\s+(?:for|with|in|by)\b))`,
  'i',
);

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
