import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileJournal, type HealthFact, type Journal, type JournalNotice } from '../../src/index.js';
import { faults } from '../../src/testing/index.js';
import { facadeRoute, GatewayHarness } from './harness.js';

/**
 * The journal on a full disk: its path is a symlink to /dev/full, where every write fails with a
 * real ENOSPC from the kernel (and reads find an empty journal). Before the fix, every request
 * whose outcome had to be journaled got `500 internal error: ENOSPC` instead of the fallback.
 */
describe('gateway: an unwritable journal does not switch failover off', () => {
  const h = new GatewayHarness();
  let dir: string | undefined;
  let journal: Journal | undefined;
  afterEach(async () => {
    await h.close();
    await journal?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
    journal = undefined;
  });

  it('a crashing primary with the journal on a full disk: every client gets 200 from the fallback, the primary cools down in memory, /health and /metrics say the journal is degraded, one notice', async () => {
    dir = await mkdtemp(join(tmpdir(), 'lhr-full-'));
    const path = join(dir, 'health.jsonl');
    await symlink('/dev/full', path);
    journal = fileJournal(path);
    const primary = await h.backend(faults.crash());
    const fallback = await h.backend(faults.ok('from the fallback'));
    const gateway = await h.gateway(facadeRoute(primary.url, fallback.url), { journal, activeProbes: false });
    const notices: JournalNotice[] = [];
    const facts: HealthFact[] = [];
    gateway.registry.notices$.subscribe((n) => notices.push(n));
    gateway.registry.events$.subscribe((f) => facts.push(f));
    const openai = h.openai(gateway);
    const anthropic = h.anthropic(gateway);

    const first = await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hello' }] });
    expect(first.choices[0]?.message.content).toBe('from the fallback');
    const primaryAfterFirst = primary.count();
    expect(primaryAfterFirst).toBeGreaterThan(0);

    // Sequential and concurrent, both client protocols: all served by the fallback.
    const texts: (string | null | undefined)[] = [];
    for (let i = 0; i < 10; i++) texts.push((await openai.chat.completions.create({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: `seq ${i}` }] })).choices[0]?.message.content);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const reply = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 32, messages: [{ role: 'user', content: `par ${i}` }] });
        return reply.content[0]?.type === 'text' ? reply.content[0].text : undefined;
      }),
    );
    expect([...texts, ...concurrent]).toEqual(Array.from({ length: 20 }, () => 'from the fallback'));
    expect(primary.count()).toBe(primaryAfterFirst); // in cooldown: nothing more was sent to it

    const views = gateway.registry.all();
    expect(views.find((v) => v.key.includes(primary.url.replace('http://', '')))?.status).toBe('cooldown');
    expect(facts.filter((f) => f.type === 'call.failed').length).toBeGreaterThan(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ type: 'journal.degraded', location: path, error: { code: 'ENOSPC' } });

    const healthText = await (await fetch(`${gateway.url}/health`)).text();
    const health = JSON.parse(healthText) as { journal: Record<string, unknown>; backends: unknown[] };
    expect(health.journal).toEqual({ ok: false, degradedSince: notices[0]!.at, error: 'ENOSPC', pending: facts.length, dropped: 0, errors: expect.any(Number) });
    expect(health.journal['errors']).toBeGreaterThanOrEqual(1);
    expect(healthText).not.toContain(dir); // an unauthenticated endpoint: no file path

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    const errors = Number(/^llm_gateway_journal_errors_total (\d+)$/m.exec(metrics)?.[1]);
    expect(errors).toBeGreaterThanOrEqual(health.journal['errors'] as number);
    expect(metrics).toMatch(/^llm_gateway_journal_degraded 1$/m);
    expect(metrics).toContain(`\nllm_gateway_journal_pending_facts ${facts.length}\n`);
    expect(metrics).toMatch(/^llm_gateway_journal_dropped_facts_total 0$/m);
    expect(metrics).toMatch(/^llm_gateway_requests_total\{protocol="openai",status="200",outcome="ok"\} 11$/m);
    expect(metrics).toMatch(/^llm_gateway_requests_total\{protocol="anthropic",status="200",outcome="ok"\} 10$/m);
    expect(metrics).not.toContain(dir);
  });
});
