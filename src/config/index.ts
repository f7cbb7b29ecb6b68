/**
 * The router config: the Hermes format (`model`, `provider`, `fallback_providers`, legacy
 * `fallback_model`, `auxiliary`, `delegation`) plus a `health:` policy, read from YAML or JSON and
 * resolved into backend entries. See `docs/configuration.md`.
 *
 * @module
 */
export type { AuxiliaryRoute, BackendEntry, DroppedEntry, RouterConfig } from './routerConfig.js';
export { loadRouterConfig } from './loadRouterConfig.js';
export type { LoadRouterConfigOptions } from './loadRouterConfig.js';
export { readRouterConfig } from './readRouterConfig.js';
export { ConfigError, formatIssue } from './configError.js';
export type { ConfigIssue } from './configError.js';
export type { ConfigFormat } from './parseConfigText.js';
export { DELEGATION_FIELDS, ENTRY_FIELDS, TOP_LEVEL_FIELDS } from './fields.js';
export { PROVIDER_KEY_ENV } from './credentials.js';
export { isLocalAddress } from './localAddress.js';
export { defaultHealthScope } from './healthScope.js';
export { dedupeKey } from './dedupeKey.js';
