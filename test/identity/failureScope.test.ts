import { describe, expect, it } from 'vitest';
import { FAILURE_KINDS, type FailureKind } from '../../src/classify/failure.js';
import { classifyHttpStatus } from '../../src/classify/httpStatus.js';
import {
  candidateKeys,
  failureKey,
  failureScope,
  identify,
  type FailureGranularity,
  type FailureScope,
} from '../../src/identity/index.js';

const E: FailureScope = 'endpoint';
const M: FailureScope = 'model';
const N: FailureScope = 'none';

/**
 * Expected scope for every kind. Each row lists the 8 combinations in this order:
 *   answered=false: [modelSpecific=false: endpoint-granularity, model-granularity],
 *                   [modelSpecific=true:  endpoint-granularity, model-granularity],
 *   answered=true:  [modelSpecific=false: …], [modelSpecific=true: …]
 */
const EXPECTED: Record<FailureKind, readonly [FailureScope, FailureScope, FailureScope, FailureScope, FailureScope, FailureScope, FailureScope, FailureScope]> = {
  //                 not answered        answered
  //                 plain   model-spec  plain   model-spec
  backend_fault: /* */ [E, E, E, E, /* */ E, M, M, M],
  unreachable: /*   */ [E, E, E, E, /* */ E, E, E, E],
  crash: /*         */ [E, E, E, E, /* */ E, E, E, E],
  rate_limited: /*  */ [E, E, E, E, /* */ E, M, M, M],
  auth_config: /*   */ [E, E, E, E, /* */ E, E, M, M],
  request_fault: /* */ [N, N, N, N, /* */ N, N, N, N],
  aborted: /*       */ [N, N, N, N, /* */ N, N, N, N],
  local: /*         */ [N, N, N, N, /* */ N, N, N, N],
};

const rows: Array<[FailureKind, boolean, boolean, FailureGranularity, FailureScope]> = [];
for (const kind of FAILURE_KINDS) {
  let index = 0;
  for (const answered of [false, true]) {
    for (const modelSpecific of [false, true]) {
      for (const granularity of ['endpoint', 'model'] as const) {
        rows.push([kind, answered, modelSpecific, granularity, EXPECTED[kind][index]!]);
        index += 1;
      }
    }
  }
}

describe('failureScope: every kind × answered × modelSpecific × granularity', () => {
  it('covers all 64 combinations', () => {
    expect(rows).toHaveLength(FAILURE_KINDS.length * 8);
    expect(rows).toHaveLength(64);
  });

  it.each(rows)('%s answered=%s modelSpecific=%s granularity=%s → %s', (kind, answered, modelSpecific, granularity, expected) => {
    expect(failureScope({ kind, answered, modelSpecific }, granularity)).toBe(expected);
  });

  it('defaults to endpoint granularity: one facade process is one backend', () => {
    expect(failureScope({ kind: 'backend_fault', answered: true, modelSpecific: false })).toBe('endpoint');
    expect(failureScope({ kind: 'rate_limited', answered: true, modelSpecific: false })).toBe('endpoint');
  });

  it('accepts a whole ClassifiedFailure', () => {
    const failure = {
      kind: 'crash',
      reason: 'crash_signature',
      message: 'Claude Code process exited with code 1',
      status: 500,
      answered: true,
      modelSpecific: false,
      retrySameBackend: false,
    } as const;
    expect(failureScope(failure, 'model')).toBe('endpoint');
  });
});

describe('candidateKeys and failureKey', () => {
  const aggregator = identify({ provider: 'openrouter' });
  const endpoint = 'openrouter|chat_completions|https://openrouter.ai/api/v1';

  it('gives both keys a candidate must pass', () => {
    expect(candidateKeys(aggregator, 'anthropic/claude-sonnet-4')).toStrictEqual({
      endpoint,
      model: `${endpoint}|anthropic/claude-sonnet-4`,
    });
  });

  it('uses the identity model when no model is given', () => {
    const facade = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    expect(candidateKeys(facade).model).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6');
  });

  it.each([
    [{ kind: 'crash', answered: true, modelSpecific: false }, 'model', endpoint],
    [{ kind: 'backend_fault', answered: true, modelSpecific: false }, 'model', `${endpoint}|anthropic/claude-sonnet-4`],
    [{ kind: 'backend_fault', answered: true, modelSpecific: false }, 'endpoint', endpoint],
    [{ kind: 'auth_config', answered: true, modelSpecific: true }, 'endpoint', `${endpoint}|anthropic/claude-sonnet-4`],
    [{ kind: 'request_fault', answered: true, modelSpecific: false }, 'model', undefined],
    [{ kind: 'aborted', answered: false, modelSpecific: false }, 'endpoint', undefined],
  ] as const)('%j at %s granularity → %s', (failure, granularity, expected) => {
    expect(failureKey(aggregator, 'anthropic/claude-sonnet-4', failure, granularity)).toBe(expected);
  });

  it('a 404 for a mistyped model is recorded on that model only, not on the main model of its family', () => {
    const facade = identify({ provider: 'anthropic', baseUrl: 'http://127.0.0.1:8082', model: 'claude-sonnet-4-6' });
    const notFound = classifyHttpStatus(404, { type: 'not_found_error', message: 'model: claude-sonnet-4-typo' });
    expect(notFound).toMatchObject({ kind: 'auth_config', answered: true, modelSpecific: true });
    expect(failureScope(notFound)).toBe('model');
    const recorded = failureKey(facade, 'claude-sonnet-4-typo', notFound);
    expect(recorded).toBe('anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-typo');
    expect(candidateKeys(facade)).toStrictEqual({
      endpoint: 'anthropic|anthropic_messages|http://127.0.0.1:8082',
      model: 'anthropic|anthropic_messages|http://127.0.0.1:8082|claude-sonnet-4-6',
    });
    expect(Object.values(candidateKeys(facade))).not.toContain(recorded);
  });

  it('an overloaded gpt-4o on an aggregator does not mark gpt-4o-mini', () => {
    const overloaded = { kind: 'backend_fault', answered: true, modelSpecific: false } as const;
    const recorded = failureKey(aggregator, 'gpt-4o', overloaded, 'model');
    expect(recorded).toBe(`${endpoint}|gpt-4o`);
    expect(candidateKeys(aggregator, 'gpt-4o-mini').model).toBe(`${endpoint}|gpt-4o-mini`);
    expect(Object.values(candidateKeys(aggregator, 'gpt-4o-mini'))).not.toContain(recorded);
    expect(Object.values(candidateKeys(aggregator, 'GPT-4o '))).toContain(recorded);
  });
});

describe('failureScope: a timeout on an established connection (connected, not answered)', () => {
  it('is the model\'s at model granularity, the endpoint\'s at endpoint granularity; refused, crash and DNS stay endpoint-wide whatever', () => {
    const hung = { kind: 'backend_fault', answered: false, connected: true, modelSpecific: false } as const;
    expect(failureScope(hung, 'model')).toBe('model');
    expect(failureScope(hung, 'endpoint')).toBe('endpoint');
    expect(failureScope({ ...hung, connected: false }, 'model')).toBe('endpoint');
    expect(failureScope({ kind: 'unreachable', answered: false, connected: true, modelSpecific: false }, 'model')).toBe('endpoint');
    expect(failureScope({ kind: 'crash', answered: false, connected: true, modelSpecific: false }, 'model')).toBe('endpoint');
    expect(failureScope({ kind: 'auth_config', answered: false, connected: true, modelSpecific: false }, 'model')).toBe('endpoint');
  });
});
