export { GATEWAY_DEFAULTS, loadGatewayConfig, readGatewayConfig, type GatewayConfig, type GatewayRoute } from './gatewayConfig.js';
export { startGateway, type GatewayOptions, type RunningGateway } from './startGateway.js';
export { continuingTransport, canContinue } from './continuingTransport.js';
export { GatewayMetrics } from './metrics.js';
