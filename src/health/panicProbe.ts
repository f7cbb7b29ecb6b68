import type { BackendHealthSnapshot } from './routability.js';

/**
 * Whether a panic claim — `probe.started` with `panic: true`, made for a request whose every
 * candidate is closed — would take this backend's probe slot now. Asked of the statechart itself
 * (`snapshot.can`), so the rule lives in one place: a cooldown that is not a rate-limit one, with
 * no probe in flight and its deadline not passed, admits it as its early probe (and a due early
 * probe or a half-open slot admit any claim). Nothing is sent and nothing changes.
 *
 * @example
 * ```ts
 * import { createActor } from 'xstate';
 * import { admitsPanicProbe, backendHealthMachine } from 'llm-health-router';
 * const actor = createActor(backendHealthMachine, { input: { key: 'k', at: 0 } }).start();
 * actor.send({ type: 'call.failed', at: 0, failure: { kind: 'crash', reason: 'crash_signature' } });
 * admitsPanicProbe(actor.getSnapshot(), 1_000); // true: a crash cooldown, slot free
 * ```
 */
export function admitsPanicProbe(snapshot: BackendHealthSnapshot, now: number): boolean {
  return snapshot.can({ type: 'probe.started', at: now, panic: true });
}
