export {
  backendHealthMachine,
  nextTimerAt,
  type BackendHealthContext,
  type BackendHealthEvent,
  type BackendHealthInput,
  type CooldownCause,
  type FailureFact,
  type HealthChangedEvent,
  type HealthStatus,
} from '../../machines/backendHealth.machine.js';
export { probeInFlight, routability, type Routability, type BackendHealthSnapshot } from './routability.js';
export { candidateRoutability, candidatePanicClaim, type CandidateRoutability } from './candidateRoutability.js';
export { admitsPanicProbe } from './panicProbe.js';
