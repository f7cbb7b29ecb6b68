import { describe, expect, it } from 'vitest';
import { candidateKeys, candidateRoutability, failureKey, identify, routability } from '../../src/index.js';
import { healthHarness } from '../support/healthHarness.js';

describe('two-level health: endpoint and model', () => {
  const aggregator = identify({ provider: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' });

  it('a candidate is routable only if both its endpoint and its model are; it waits for the later deadline', () => {
    const endpoint = healthHarness(undefined, candidateKeys(aggregator, 'anthropic/claude-sonnet-4').endpoint);
    const model = healthHarness(undefined, candidateKeys(aggregator, 'anthropic/claude-sonnet-4').model);
    const now = () => endpoint.now();
    expect(candidateRoutability(routability(endpoint.snapshot(), now()), routability(model.snapshot(), now()))).toEqual({
      routable: true,
      probe: { endpoint: false, model: false },
    });
    model.fail('rate_limited', { cooldownHintMs: 90_000 });
    endpoint.fail('crash');
    const jailed = candidateRoutability(routability(endpoint.snapshot(), now()), routability(model.snapshot(), now()));
    expect(jailed).toEqual({ routable: false, until: model.snapshot().context.deadline, blockedBy: ['endpoint', 'model'] });
    // The endpoint's 30 s cooldown ends first: it turns half-open, but the model still blocks.
    endpoint.advance(30_000);
    model.advance(30_000);
    expect(candidateRoutability(routability(endpoint.snapshot(), now()), routability(model.snapshot(), now()))).toMatchObject({
      routable: false,
      blockedBy: ['model'],
    });
    endpoint.advance(60_000);
    model.advance(60_000);
    expect(candidateRoutability(routability(endpoint.snapshot(), now()), routability(model.snapshot(), now()))).toEqual({
      routable: true,
      probe: { endpoint: true, model: true },
    });
  });

  it('an overloaded model on a multi-model endpoint jails only that model; a refused connection jails the endpoint', () => {
    const overloaded = { kind: 'backend_fault', answered: true, modelSpecific: false } as const;
    const refused = { kind: 'unreachable', answered: false, modelSpecific: false } as const;
    const keys = candidateKeys(aggregator, 'anthropic/claude-sonnet-4');
    expect(failureKey(aggregator, 'anthropic/claude-sonnet-4', overloaded, 'model')).toBe(keys.model);
    expect(failureKey(aggregator, 'anthropic/claude-sonnet-4', overloaded, 'endpoint')).toBe(keys.endpoint);
    expect(failureKey(aggregator, 'anthropic/claude-sonnet-4', refused, 'model')).toBe(keys.endpoint);
  });
});
