/**
 * Failure classification: every failed model call becomes exactly one `ClassifiedFailure`.
 * See `docs/classification.md` for the table as built.
 */
export { FAILURE_KINDS } from './failure.js';
export type { ClassifiedFailure, FailureKind, RequestFaultKind } from './failure.js';
export { DEFAULT_CLASSIFY_OPTIONS } from './options.js';
export type { ClassifyOptions } from './options.js';

export { classifyError } from './classifyError.js';
export { classifyUnsentError } from './classifyUnsentError.js';
export { isProgrammingError, localFailure } from './localFailure.js';
export { checkAnthropicMessage, isMeaningfulBlock } from './checkAnthropicMessage.js';
export { checkChatCompletion } from './checkChatCompletion.js';
export { createAnthropicStreamCheck } from './anthropicStreamCheck.js';
export { createChatStreamCheck } from './chatStreamCheck.js';
export type { StreamCheck } from './streamCheck.js';

export {
  captureErrorBodies,
  capturedErrorBody,
  DEFAULT_CAPTURED_BODY_BYTES,
} from './captureErrorBodies.js';
export type { CaptureErrorBodiesOptions, FetchLike } from './captureErrorBodies.js';

export {
  clampHint,
  cooldownHintFromHeaders,
  parseGoDuration,
  parseResetDuration,
  parseRetryAfter,
} from './cooldownHint.js';
export type { HeaderSource } from './cooldownHint.js';

export { causeChain, codeOf, findNetworkFailure, isTlsCode, isUndiciTerminated, rowForCode } from './networkCause.js';
export type { NetworkFailure } from './networkCause.js';

export { classifyHttpStatus, httpMessage, isOverloadedType, isRateLimitType } from './httpStatus.js';
export { classifyStreamError, classifyStreamErrorPayload } from './streamError.js';
export { detectRequestFault, isContentPolicy, isContextLength } from './requestFault.js';
export type { ProviderSaid } from './providerSaid.js';
export { hasBillingCode, hasBillingMessage } from './billing.js';
export { badRequestNamesUnknownModel, notFoundNamesModel } from './modelNotFound.js';
export { findCrashSignature } from './crashSignature.js';
export { fromEnvelope, readProviderError } from './errorBody.js';
export type { ProviderError } from './errorBody.js';
export { clampMessage, makeFailure, MAX_FAILURE_MESSAGE_LENGTH } from './makeFailure.js';
export type { FailureInput } from './makeFailure.js';
export {
  errorClassNames,
  isCallerAbort,
  isConnectionError,
  isSdkError,
  isSdkTimeout,
  isStreamErrorEvent,
  isTimeoutAbort,
  statusOf,
} from './sdkError.js';
