import type { BackendHealthEvent } from '../../machines/backendHealth.machine.js';
import type { HealthFact } from '../journal/facts.js';

/** The health machine event a journaled fact delivers. */
export function factEvent(fact: HealthFact): BackendHealthEvent {
  switch (fact.type) {
    case 'call.succeeded':
      return { type: 'call.succeeded', at: fact.at, startedAt: fact.startedAt };
    case 'call.failed':
      return { type: 'call.failed', at: fact.at, startedAt: fact.startedAt, failure: fact.failure, jitterSample: fact.jitterSample };
    case 'probe.started':
      return {
        type: 'probe.started',
        at: fact.at,
        ...(fact.writer !== undefined ? { by: fact.writer } : {}),
        ...(fact.seq !== undefined ? { seq: fact.seq } : {}),
        ...(fact.panic ? { panic: true } : {}),
      };
    case 'probe.abandoned':
      return { type: 'probe.abandoned', at: fact.at, by: fact.claimedBy, ...(fact.claim !== undefined ? { claim: fact.claim } : {}) };
    case 'backend.reset':
      return { type: 'backend.reset', at: fact.at };
  }
}
