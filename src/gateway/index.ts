export { GATEWAY_DEFAULTS, loadGatewayConfig, readGatewayConfig, type GatewayConfig, type GatewayRoute } from './gatewayConfig.js';
export { startGateway, type GatewayOptions, type RunningGateway } from './startGateway.js';
export type { GatewayLog } from './internalError.js';
export { continuingTransport, canContinue } from './continuingTransport.js';
export { GatewayMetrics, type RequestOutcome } from './metrics.js';
