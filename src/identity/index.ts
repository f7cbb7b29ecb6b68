/**
 * Backend identity: which backend a call goes to, the keys health is tracked by, how the api
 * mode is decided, and at which key a failure is recorded. See `docs/identity.md`.
 *
 * @module
 */
export { IdentityError } from './errors.js';
export { API_MODES, normalizeApiMode, resolveApiMode } from './apiMode.js';
export type { ApiMode, ApiModeInput, ApiModeResolution, ApiModeSource } from './apiMode.js';
export type { BackendIdentity } from './backendIdentity.js';
export { normalizeBaseUrl } from './baseUrl.js';
export { DEFAULT_BASE_URLS, defaultBaseUrl, normalizeProvider } from './provider.js';
export { modelFamily } from './modelFamily.js';
export { normalizeModelId } from './modelId.js';
export { identify } from './identify.js';
export type { IdentifyInput } from './identify.js';
export { endpointKey, modelKey, parseEndpointKey, parseModelKey } from './keys.js';
export type { EndpointKey, ModelKey } from './keys.js';
export { requestUrl, sdkBaseUrl } from './requestUrl.js';
export { candidateKeys, failureKey, failureScope } from './failureScope.js';
export type { FailureGranularity, FailureScope, ScopedFailure } from './failureScope.js';
