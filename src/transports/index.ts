/**
 * Transports: a neutral request sent to one backend entry over its wire API through the real
 * SDKs, and the callback form that hands an agent the ready SDK client. See `docs/transports.md`.
 */
export type { NeutralMessage, NeutralPart, NeutralRequest, NeutralResponse, NeutralTool } from './neutral.js';
export type { CallLimits, CallOutcome, Transport } from './transport.js';
export { sdkTransport, type SdkTransportOptions } from './sdkTransport.js';
export { sdkClientFor, type SdkClient, type SdkClientOptions } from './sdkClient.js';
export { DEFAULT_SDK_TIMEOUT_MS } from './sdkTimeout.js';
export { MissingSdkError } from './loadSdk.js';
export { UnsupportedApiModeError } from './unsupportedApiMode.js';
export { TransportError } from './transportError.js';
export { toAnthropicParams } from './toAnthropic.js';
export { TOOL_ERROR_PREFIX, toChatParams } from './toOpenAiChat.js';
export { fromAnthropicMessage } from './fromAnthropic.js';
export { fromChatCompletion } from './fromOpenAiChat.js';
export { anthropicStopReason, chatStopReason } from './stopReason.js';
export { skipMalformedEvents } from './skipMalformedEvents.js';
