import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/clock/virtualClock.js';
import { createHealthRouter, memoryJournal, openHealthRegistry, startInspector, type HealthRouter, type RunningInspector } from '../../src/index.js';
import type { HealthRegistry } from '../../src/registry/healthRegistry.js';
import { entry, routerConfig } from '../support/entries.js';
import { crash, crashingTransport, healthActorOf, inspectionReceiver, machineId, topState, userRequest, type Received } from './support.js';

// What a websocket inspector of one's own sees while the router fails a crashed primary over:
// the machines by id, the health actor's state changes, the routed call that did it.
const T0 = 1_700_000_000_000;
const P = entry('model', 'anthropic', 'claude-sonnet-4-6', 'http://127.0.0.1:8082');
const F1 = entry('fallback_providers[0]', 'custom', 'qwen3:32b', 'http://127.0.0.1:11434/v1', { apiMode: 'chat_completions' });

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.splice(0).reverse()) await thing.close();
});

async function failover(options: { showConversation?: boolean } = {}) {
  const receiver = await inspectionReceiver();
  open.push(receiver);
  const inspector: RunningInspector = await startInspector({ mode: 'websocket', url: receiver.url, ...options });
  open.push({ close: () => inspector.stop() });
  const registry: HealthRegistry = await openHealthRegistry({ journal: memoryJournal(), clock: new VirtualClock(T0), inspect: inspector.inspect });
  open.push(registry);
  const { transport, calls } = crashingTransport(P);
  const router: HealthRouter = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry, inspect: inspector.inspect, activeProbes: false });
  open.push(router);
  const reply = await router.startTurn().main(userRequest('please summarise the quarterly figures'));
  return { receiver, inspector, registry, reply, calls };
}

const turnCallActor = (messages: Received[]) => messages.find((m) => m.type === '@xstate.actor' && machineId(m) === 'turnCall');

describe('inspecting a router (websocket inspector)', () => {
  it('a crashed primary: the inspector sees the backendHealth and turnCall machines, the failure sent to the health actor, and its state going to cooldown', async () => {
    const { receiver, registry, reply, calls } = await failover();
    expect(reply.servedBy).toBe(F1.label);
    expect(calls).toEqual([P.label, F1.label]);
    expect(registry.health(P.endpointKey).status).toBe('cooldown');

    const { inbox } = receiver;
    const health = await inbox.waitFor('the primary endpoint health actor registered', (m) => healthActorOf(m, P.endpointKey));
    // Named by its backend (every health actor runs the same machine, whose id is in the definition).
    expect(health.name).toBe(P.endpointKey);
    const definition = JSON.parse(health.definition!) as { id: string; initial: string; states: Record<string, unknown> };
    expect(definition.id).toBe('backendHealth');
    expect(Object.keys(definition.states)).toEqual(expect.arrayContaining(['healthy', 'degraded', 'cooldown', 'down']));

    const cooldown = await inbox.waitFor('a snapshot of the health actor in cooldown', (m) =>
      m.find((s) => s.type === '@xstate.snapshot' && s.sessionId === health.sessionId && topState(s.snapshot?.value) === 'cooldown'),
    );
    expect(cooldown.event).toMatchObject({ type: 'call.failed', failure: { kind: 'crash', reason: 'crash_signature' } });
    expect(cooldown.snapshot?.context).toMatchObject({ key: P.endpointKey, status: 'cooldown', cooldownCause: 'crash' });
    const healthValues = inbox.messages.filter((s) => s.type === '@xstate.snapshot' && s.sessionId === health.sessionId).map((s) => topState(s.snapshot?.value));
    expect(healthValues.indexOf('healthy')).toBeLessThan(healthValues.indexOf('cooldown'));
    expect(inbox.messages.some((e) => e.type === '@xstate.event' && e.sessionId === health.sessionId && e.event?.type === 'call.failed')).toBe(true);

    const call = await inbox.waitFor('the routed call registered', turnCallActor);
    expect(call.name).toBe('turnCall');
    const done = await inbox.waitFor('the routed call finished', (m) => m.find((s) => s.type === '@xstate.snapshot' && s.sessionId === call.sessionId && s.snapshot?.status === 'done'));
    expect(done.snapshot?.output).toMatchObject({ attempts: [{ label: P.label, failure: { kind: 'crash' } }, { label: F1.label }], response: { servedBy: F1.label } });
  });

  it("the conversation and API keys stay out of the inspector unless asked for: a request shows as its size, a reply without its text", async () => {
    const withheld = await failover();
    await withheld.receiver.inbox.waitFor('the routed call finished', (m) => m.find((s) => s.type === '@xstate.snapshot' && s.snapshot?.status === 'done' && s.snapshot.output));
    const seen = withheld.receiver.inbox.raw.join('\n');
    expect(seen).not.toContain('quarterly figures');
    expect(seen).not.toContain(`from ${F1.label}`);
    expect(seen).not.toContain(P.apiKey);
    const context = turnCallActor(withheld.receiver.inbox.messages)!.snapshot?.context;
    expect(context?.request).toEqual({ messages: 1, maxTokens: 64, conversation: 'withheld' });

    const shown = await failover({ showConversation: true });
    await shown.receiver.inbox.waitFor('the routed call finished', (m) => m.find((s) => s.type === '@xstate.snapshot' && s.snapshot?.status === 'done' && s.snapshot.output));
    const all = shown.receiver.inbox.raw.join('\n');
    expect(all).toContain('quarterly figures');
    expect(all).toContain(`from ${F1.label}`);
    expect(all).not.toContain(P.apiKey);
  });

  it('a call answered at once by a healthy primary runs no routed-call actor; a registry the router opens is inspected too', async () => {
    const receiver = await inspectionReceiver();
    open.push(receiver);
    const inspector = await startInspector({ mode: 'websocket', url: receiver.url });
    open.push({ close: () => inspector.stop() });
    const { transport } = crashingTransport(F1);
    const router = await createHealthRouter({ config: routerConfig(P, [F1]), transport, registry: { journal: memoryJournal(), clock: new VirtualClock(T0) }, inspect: inspector.inspect, activeProbes: false });
    open.push(router);
    expect((await router.startTurn().main(userRequest('hi'))).servedBy).toBe(P.label);
    router.registry.record({ type: 'call.failed', backend: P.endpointKey, failure: crash, turnId: 'elsewhere', purpose: 'main' });
    // stop() delivers what is on its way and closes the socket after it: the inbox is complete.
    await inspector.stop();
    const health = healthActorOf(receiver.inbox.messages, P.endpointKey);
    expect(health?.name).toBe(P.endpointKey);
    expect(turnCallActor(receiver.inbox.messages)).toBeUndefined();
  });
});
