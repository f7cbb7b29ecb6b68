export { createHealthRouter, type HealthRouter, type HealthRouterOptions } from './createHealthRouter.js';
export { Turn, type AuxiliaryResult } from './turn.js';
export { RoutingError } from './errors.js';
export type { RouterNotice } from './notices.js';
export type { BackendCall } from './callbackTransport.js';
