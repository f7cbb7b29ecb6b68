/**
 * llm-health-router: route an LLM agent's model calls by backend health.
 *
 * The public API. Everything a face (CLI, gateway) or an embedding agent needs is exported here;
 * nothing else is a stable surface.
 *
 * @module
 */

// Backend health: the statechart and the questions asked of it.
export {
  backendHealthMachine,
  admitsPanicProbe,
  candidatePanicClaim,
  candidateRoutability,
  nextTimerAt,
  probeInFlight,
  routability,
  type BackendHealthContext,
  type BackendHealthEvent,
  type BackendHealthInput,
  type BackendHealthSnapshot,
  type CandidateRoutability,
  type CooldownCause,
  type FailureFact,
  type HealthChangedEvent,
  type HealthStatus,
  type Routability,
} from './health/index.js';

// Policy.
export {
  classifierOptionsFrom,
  DEFAULT_HEALTH_POLICY,
  ejectionCooldownMs,
  escalatedRateLimitMs,
  maxEscalationLevel,
  maxRateLimitStreak,
  PolicyError,
  rateLimitCooldownMs,
  resolveHealthPolicy,
  type HealthPolicy,
  type HealthPolicyInput,
  type PolicyIssue,
} from './policy/index.js';

// Failure classification.
export {
  captureErrorBodies,
  capturedErrorBody,
  checkAnthropicMessage,
  checkChatCompletion,
  classifyError,
  classifyUnsentError,
  cooldownHintFromHeaders,
  createAnthropicStreamCheck,
  createChatStreamCheck,
  DEFAULT_CLASSIFY_OPTIONS,
  FAILURE_KINDS,
  type CaptureErrorBodiesOptions,
  type ClassifiedFailure,
  type ClassifyOptions,
  type FailureKind,
  type FetchLike,
  type RequestFaultKind,
  type StreamCheck,
} from './classify/index.js';

// Backend identity and api mode.
export {
  API_MODES,
  candidateKeys,
  endpointKey,
  failureKey,
  failureScope,
  identify,
  IdentityError,
  modelFamily,
  modelKey,
  normalizeBaseUrl,
  normalizeModelId,
  parseEndpointKey,
  parseModelKey,
  requestUrl,
  resolveApiMode,
  sdkBaseUrl,
  type ApiMode,
  type ApiModeResolution,
  type ApiModeSource,
  type BackendIdentity,
  type EndpointKey,
  type FailureGranularity,
  type FailureScope,
  type IdentifyInput,
  type ModelKey,
} from './identity/index.js';

// Visibility.
export { DEMO_VARIANTS, demoVariant, runDemo, type DemoCall, type DemoOptions, type DemoResult, type DemoSummary, type DemoTurnRow, type DemoVariant } from './demo/index.js';
export { healthHistory, type HealthHistory } from './history/index.js';
export { statechartToMermaid, statechartTransitions, type TransitionRow } from './visual/statechartMermaid.js';
export { inspectorOptionsFromFlag, startInspector, STATELY_INSPECTOR_UI, type InspectorMode, type RunningInspector, type StartInspectorOptions } from './inspect/index.js';
export { renderHealthReport, renderStatechartSvg, reportHistory, type HealthReportInput, type ReportTurn } from './report/index.js';

// Keeping credentials out of what leaves the process.
export { MASK, maskSecrets, maskSecretsDeep, rememberSecret } from './security/maskSecrets.js';

// Simulated time for demos, replays and tests.
export { VirtualClock } from './clock/virtualClock.js';
export { systemClock, type Clock } from './clock/clock.js';
export { ReplayClock } from './clock/replayClock.js';

// Event sourcing: facts, journals, the registry.
export { FACT_TYPES, FACT_VERSION, type CallPurpose, type HealthFact, type JournaledFailure } from './journal/facts.js';
export type { Journal, JournalContents, JournalSnapshot, StoredHealth } from './journal/journal.js';
export type { JournalFailure, JournalNotice, JournalStatus } from './journal/journalStatus.js';
export type { JournalBacklogOptions } from './journal/journalWriter.js';
export { memoryJournal } from './journal/memoryJournal.js';
export { compactJournal, HealthRegistry, openHealthRegistry, type BackendHealthView, type FactInput, type HealthRegistryOptions } from './registry/index.js';
export { fileJournal, type FileJournalOptions, type FsyncPolicy } from './journal/fileJournal.js';
export { JournalError } from './journal/journalError.js';
export { defaultJournalPath } from './journal/defaultJournalPath.js';
export { snapshotPathFor } from './journal/snapshotFile.js';

// Configuration (the Hermes format, plus a health section).
export * from './config/index.js';

// The HTTP gateway.
export * from './gateway/index.js';

// Turn routing.
export { checkRequestLimits, createHealthRouter, DEFAULT_MAX_REQUEST_CHARS, DEFAULT_MAX_REQUEST_DEPTH, RequestLimitError, RoutingError, Turn, type AuxiliaryResult, type BackendCall, type HealthRouter, type HealthRouterOptions, type RouterNotice } from './router/index.js';
export { turnCallMachine, type TurnCallInput, type TurnCallOutput, type TurnServices } from '../machines/turn.machine.js';
export type { NeutralMessage, NeutralPart, NeutralRequest, NeutralResponse, NeutralTool } from './transports/neutral.js';
export type { CallLimits, CallOutcome, Transport } from './transports/transport.js';
export * from './transports/index.js';
