import { afterEach, describe, expect, it } from 'vitest';
import { faults } from '../../src/testing/index.js';
import { ask, CHAT, E2E, MESSAGES } from './harness.js';

// api mode resolution, end to end: an explicit `api_mode: anthropic_messages` on a custom host (no
// `/anthropic` in the URL) must reach `/v1/messages` for every kind of call a turn makes — the
// main reply, the title, auxiliary tasks (pinned and `auto`) and delegated sub-agents — on the
// primary and on a fallback alike. Today's baseline sends the auxiliary path to `/chat/completions`.
describe('explicit api_mode: anthropic_messages on custom hosts (real SDKs)', () => {
  const e2e = new E2E();
  afterEach(() => e2e.close());

  it('a custom primary: main, title, a pinned and an auto auxiliary task, and a delegated child all POST /v1/messages', async () => {
    const primary = await e2e.server(faults.ok('from the custom primary'));
    const compressor = await e2e.server(faults.ok('compressed'));
    const { router, config } = await e2e.router(`
model: local-claude
provider: custom
base_url: ${primary.url}
api_mode: anthropic_messages
auxiliary:
  title_generation: { provider: auto }
  compression: { provider: custom, base_url: ${compressor.url}, api_mode: anthropic_messages, model: compressor }
  summarize: { provider: auto }
`);
    expect(config.primary).toMatchObject({ apiMode: 'anthropic_messages', apiModeSource: 'explicit' });

    const turn = router.startTurn();
    expect(await turn.main(ask('hello'))).toMatchObject({ text: 'from the custom primary', servedBy: 'model' });
    expect(await turn.title(ask('title'))).toMatchObject({ text: 'from the custom primary', servedBy: 'model' });
    expect(await turn.auxiliary('summarize', ask('summarize'))).toMatchObject({ servedBy: 'model' });
    expect(await turn.auxiliary('compression', ask('compress'))).toMatchObject({ text: 'compressed', servedBy: 'auxiliary.compression' });
    const child = turn.delegate();
    expect(await child.main(ask('sub-task'))).toMatchObject({ text: 'from the custom primary', servedBy: 'model' });
    child.end();
    turn.end();

    expect(primary.paths()).toEqual([MESSAGES, MESSAGES, MESSAGES, MESSAGES]);
    expect(primary.fake.requests.map((r) => r.model)).toEqual(['local-claude', 'local-claude', 'local-claude', 'local-claude']);
    expect(compressor.paths()).toEqual([MESSAGES]);
    expect(compressor.fake.requests[0]?.model).toBe('compressor');
    expect(primary.count(CHAT) + compressor.count(CHAT)).toBe(0);
  });

  it('a custom fallback: after the primary crashes, main, title, auto auxiliary and a delegated child go to its /v1/messages; the pinned task to its own', async () => {
    const primary = await e2e.server(faults.crash());
    const fallback = await e2e.server(faults.ok('from the anthropic-compatible fallback'));
    const compressor = await e2e.server(faults.ok('compressed'));
    const { router, config, notices } = await e2e.router(`
model: qwen3:32b
provider: custom
base_url: ${primary.url}/v1
api_mode: chat_completions
fallback_providers:
  - provider: custom
    model: backup-claude
    base_url: ${fallback.url}
    api_mode: anthropic_messages
auxiliary:
  title_generation: { provider: auto }
  compression: { provider: custom, base_url: ${compressor.url}, api_mode: anthropic_messages, model: compressor }
  summarize: { provider: auto }
`);
    expect(config.fallbacks[0]).toMatchObject({ apiMode: 'anthropic_messages', apiModeSource: 'explicit' });

    const turn = router.startTurn();
    expect(await turn.main(ask('hello'))).toMatchObject({ text: 'from the anthropic-compatible fallback', servedBy: 'fallback_providers[0]' });
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(await turn.auxiliary('summarize', ask('summarize'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(await turn.auxiliary('compression', ask('compress'))).toMatchObject({ servedBy: 'auxiliary.compression' });
    const child = turn.delegate();
    expect(await child.main(ask('sub-task'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    turn.end();

    // The crashed primary got the one main request (a crash is not retried) and nothing after it.
    expect(primary.paths()).toEqual([CHAT]);
    expect(fallback.paths()).toEqual([MESSAGES, MESSAGES, MESSAGES, MESSAGES]);
    expect(compressor.paths()).toEqual([MESSAGES]);
    expect(fallback.count(CHAT) + compressor.count(CHAT)).toBe(0);
    expect(notices.map((n) => n.type)).toEqual(['fallback.activated']);

    // The next turn sits on the fallback (sticky) and keeps its api mode for everything.
    const next = router.startTurn();
    await next.main(ask('again'));
    await next.title(ask('title'));
    await next.delegate().main(ask('sub-task'));
    expect(primary.count()).toBe(1);
    expect(fallback.paths()).toEqual(Array(7).fill(MESSAGES));
  });

  it('an explicit api_mode on a fallback whose base_url ends in /v1 still reaches /v1/messages (not /v1/v1/messages, not /chat/completions)', async () => {
    const primary = await e2e.server(faults.crash());
    const fallback = await e2e.server(faults.ok('served'));
    const { router } = await e2e.router(`
model: claude-sonnet-4-6
provider: anthropic
base_url: ${primary.url}
fallback_providers:
  - provider: custom
    model: backup-claude
    base_url: ${fallback.url}/v1
    api_mode: anthropic_messages
auxiliary:
  title_generation: { provider: auto }
`);
    const turn = router.startTurn();
    expect((await turn.main(ask('hi'))).servedBy).toBe('fallback_providers[0]');
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'fallback_providers[0]' });
    expect(primary.paths()).toEqual([MESSAGES]);
    expect(fallback.paths()).toEqual([MESSAGES, MESSAGES]);
  });

  it('a pinned delegation entry with explicit api_mode on a custom host POSTs /v1/messages; one with the primary’s provider and no base_url inherits the primary’s address with its api mode', async () => {
    const primary = await e2e.server(faults.ok('parent'));
    const delegate = await e2e.server(faults.ok('child'));
    const pinned = await e2e.router(`
model: local-claude
provider: custom
base_url: ${primary.url}
api_mode: anthropic_messages
delegation:
  provider: custom
  model: child-claude
  base_url: ${delegate.url}
  api_mode: anthropic_messages
`);
    expect(pinned.config.delegation?.entry).toMatchObject({ apiMode: 'anthropic_messages', apiModeSource: 'explicit' });
    const turn = pinned.router.startTurn();
    await turn.main(ask('parent'));
    expect(await turn.delegate().main(ask('child'))).toMatchObject({ text: 'child', servedBy: 'delegation' });
    expect(delegate.paths()).toEqual([MESSAGES]);
    expect(delegate.fake.requests[0]?.model).toBe('child-claude');

    const inheriting = await e2e.router(`
model: local-claude
provider: custom
base_url: ${primary.url}
api_mode: anthropic_messages
delegation:
  provider: custom
  model: small-claude
`);
    expect(inheriting.config.delegation?.entry).toMatchObject({ provider: 'custom', apiMode: 'anthropic_messages', baseUrl: inheriting.config.primary.baseUrl });
    const t2 = inheriting.router.startTurn();
    expect(await t2.delegate().main(ask('child'))).toMatchObject({ servedBy: 'delegation' });
    expect(primary.paths()).toEqual([MESSAGES, MESSAGES]);
    expect(primary.fake.requests.map((r) => r.model)).toEqual(['local-claude', 'small-claude']);
  });

  it('Hermes scenario 1: provider anthropic on a local facade without api_mode — main, title and a delegated child all POST /v1/messages', async () => {
    const facade = await e2e.server(faults.ok('from the facade'));
    const { router, config } = await e2e.router(`
model: claude-sonnet-4-6
provider: anthropic
base_url: ${facade.url}
auxiliary:
  title_generation: { provider: auto }
`);
    expect(config.primary).toMatchObject({ apiMode: 'anthropic_messages', apiModeSource: 'provider' });
    const turn = router.startTurn();
    expect(await turn.main(ask('hello'))).toMatchObject({ text: 'from the facade', servedBy: 'model' });
    expect(await turn.title(ask('title'))).toMatchObject({ servedBy: 'model' });
    expect(await turn.delegate().main(ask('sub-task'))).toMatchObject({ servedBy: 'model' });
    turn.end();
    expect(facade.paths()).toEqual([MESSAGES, MESSAGES, MESSAGES]);
    expect(facade.count(CHAT)).toBe(0);
  });
});
