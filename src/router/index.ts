export { createHealthRouter, type HealthRouter, type HealthRouterOptions } from './createHealthRouter.js';
export { Turn, type AuxiliaryResult } from './turn.js';
export { RequestLimitError, RoutingError } from './errors.js';
export { checkRequestLimits, DEFAULT_MAX_REQUEST_CHARS, DEFAULT_MAX_REQUEST_DEPTH } from './requestLimits.js';
export type { RouterNotice } from './notices.js';
export type { BackendCall } from './callbackTransport.js';
