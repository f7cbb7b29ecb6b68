/**
 * Pure readers of what a provider said: error envelopes, billing vs throttling wordings,
 * model-not-found, request-fault kinds, crash signatures, and status rows that the SDK-driven
 * table does not cover. Negative cases come from real provider wordings that must NOT match.
 */
import { describe, expect, it } from 'vitest';
import {
  badRequestNamesUnknownModel,
  classifyHttpStatus,
  clampMessage,
  detectRequestFault,
  findCrashSignature,
  fromEnvelope,
  hasBillingCode,
  hasBillingMessage,
  makeFailure,
  notFoundNamesModel,
} from '../../src/classify/index.js';

describe('fromEnvelope', () => {
  it.each([
    [
      'Anthropic',
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' }, request_id: 'req_1' },
      { type: 'overloaded_error', message: 'Overloaded' },
    ],
    [
      'Anthropic with details.error_code',
      { type: 'error', error: { type: 'rate_limit_error', message: 'cap', details: { error_code: 'enforced_spend_limit_reached' } } },
      { type: 'rate_limit_error', code: 'enforced_spend_limit_reached', message: 'cap' },
    ],
    [
      'OpenAI',
      { error: { message: 'quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
      { type: 'insufficient_quota', code: 'insufficient_quota', message: 'quota' },
    ],
    ['OpenAI inner object (what openai@6 keeps)', { message: 'm', type: 't', code: null }, { type: 't', message: 'm' }],
    ['FastAPI detail', { detail: 'Claude Code process exited with code 1' }, { message: 'Claude Code process exited with code 1' }],
    ['FastAPI validation list', { detail: [{ msg: 'field required' }] }, { message: '[{"msg":"field required"}]' }],
    ['vLLM flat', { object: 'error', message: 'too long', type: 'BadRequestError', code: 400 }, { type: 'BadRequestError', message: 'too long' }],
    ['LiteLLM "None" fields', { error: { message: 'boom', type: 'None', code: 'None' } }, { message: 'boom' }],
    ['error as a string', { error: 'upstream died' }, { message: 'upstream died' }],
    ['plain text', '  Bad Gateway  ', { message: 'Bad Gateway' }],
    ['nothing useful', 42, {}],
  ])('%s', (_name, body, expected) => {
    expect(fromEnvelope(body)).toEqual(expected);
  });
});

describe('billing vs throttling', () => {
  it.each([
    [{ code: 'insufficient_quota' }, true],
    [{ type: 'billing_error' }, true],
    [{ code: 'enforced_spend_limit_reached', type: 'rate_limit_error' }, true],
    [{ code: 'contract_spend_limit_reached' }, true],
    [{ code: 'billing_hard_limit_reached' }, true],
    [{ code: 'rate_limit_exceeded', type: 'requests' }, false],
    [{ code: 'ramp_limit_exceeded' }, false],
  ])('code/type %j → %s', (said, billing) => {
    expect(hasBillingCode(said)).toBe(billing);
  });

  it.each([
    ['Your credit balance is too low to access the Anthropic API.', true],
    ['You exceeded your current quota, please check your plan and billing details.', true],
    ['This request would exceed your monthly spend limit.', true],
    ['Insufficient credits. Add more using https://openrouter.ai/credits', true],
    // OpenAI's free-tier throttle mentions billing and a payment method: still throttling.
    [
      'Rate limit reached for gpt-4 in organization org-x on requests per min (RPM): Limit 3, Used 3, Requested 1. ' +
        'You can increase your rate limit by adding a payment method to your account at https://platform.openai.com/account/billing.',
      false,
    ],
    // Gemini's per-minute quota is throttling too.
    ["Quota exceeded for quota metric 'Generate Content API requests per minute'", false],
  ])('message %j → %s', (message, billing) => {
    expect(hasBillingMessage({ message })).toBe(billing);
  });
});

describe('model not found', () => {
  it.each([
    [{ type: 'not_found_error', message: 'model: claude-nope-9' }, true],
    [{ code: 'model_not_found', message: 'The model `gpt-4.1-x` does not exist' }, true],
    [{ message: "model 'llama3' not found, try pulling it first" }, true],
    [{ message: 'Not Found' }, false],
    [{ message: '404 page not found' }, false],
    [{ message: 'Not Found: /v1/models' }, false],
    [{ type: 'not_found_error', message: 'Not Found: /v1/v1/messages' }, false],
  ])('404 %j → names the model: %s', (said, names) => {
    expect(notFoundNamesModel(said)).toBe(names);
  });

  it.each([
    ['foo/bar is not a valid model ID', true],
    ['Invalid model name passed in model=gpt-9', true],
    ['The model `gpt-4.1-mini-x` does not exist or you do not have access to it.', true],
    ["This model's maximum context length is 8192 tokens.", false],
    ['The model does not support tools', false],
    ['messages: roles must alternate', false],
    ['Invalid model parameter temperature', false],
    ["model gpt-5 is not supported for the 'tools' parameter", false],
    ['Unsupported model parameters: top_k', false],
    ['model claude-nope is not supported', true],
  ])('400 %j → unknown model: %s', (message, unknown) => {
    expect(badRequestNamesUnknownModel({ message })).toBe(unknown);
  });
});

describe('detectRequestFault', () => {
  it.each([
    [400, { message: 'prompt is too long: 215000 tokens > 200000 maximum' }, 'context_length'],
    [400, { code: 'context_length_exceeded' }, 'context_length'],
    [400, { message: 'Input is too long for requested model.' }, 'context_length'],
    [422, { message: 'This model’s context window is 32k; reduce the length of the messages.' }, 'context_length'],
    [413, { message: 'prompt is too long' }, 'context_length'],
    [400, { code: 'content_policy_violation' }, 'content_policy'],
    [400, { code: 'content_filter', message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy." }, 'content_policy'],
    [413, { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' }, 'too_large'],
    [400, { type: 'request_too_large' }, 'too_large'],
    [400, { message: 'max_tokens: 100000 > 64000, which is the maximum allowed number of output tokens' }, 'invalid_request'],
    [422, {}, 'invalid_request'],
  ] as const)('%s %j → %s', (status, said, kind) => {
    expect(detectRequestFault(status, said)).toBe(kind);
  });
});

describe('classifyHttpStatus rows the SDK table does not reach', () => {
  it.each([
    [402, 'auth_config', 'http_402', false],
    [405, 'auth_config', 'http_405', false],
    [410, 'auth_config', 'http_410', false],
    [418, 'request_fault', 'http_418', false],
    [431, 'request_fault', 'http_431', false],
    [505, 'backend_fault', 'http_505', false],
    [520, 'backend_fault', 'http_520', false],
    [302, 'backend_fault', 'http_302', false],
  ] as const)('%s → %s', (status, kind, reason, retry) => {
    expect(classifyHttpStatus(status, {})).toMatchObject({ kind, reason, retrySameBackend: retry, answered: true, status });
  });

  it('a 503 carries a retry-after hint like a 429 does', () => {
    const failure = classifyHttpStatus(503, {}, new Headers({ 'retry-after': '30' }));
    expect(failure).toMatchObject({ kind: 'backend_fault', cooldownHintMs: 30_000 });
  });

  it('request faults and auth faults never carry a cooldown hint', () => {
    expect(classifyHttpStatus(401, {}, new Headers({ 'retry-after': '30' })).cooldownHintMs).toBeUndefined();
    expect(classifyHttpStatus(400, {}, new Headers({ 'retry-after': '30' })).cooldownHintMs).toBeUndefined();
    expect(classifyHttpStatus(429, { code: 'insufficient_quota' }, new Headers({ 'retry-after': '30' })).cooldownHintMs).toBeUndefined();
  });
});

describe('findCrashSignature', () => {
  it('is a case-insensitive substring match', () => {
    expect(findCrashSignature('Claude Code PROCESS EXITED WITH CODE 1', ['process exited with code'])).toBe('process exited with code');
    expect(findCrashSignature('No response from Claude Code', ['process exited with code', 'no response from claude code'])).toBe(
      'no response from claude code',
    );
    expect(findCrashSignature('HTTP 500', ['process exited with code'])).toBeUndefined();
  });

  it('ignores blank signatures, which would otherwise match everything', () => {
    expect(findCrashSignature('anything at all', ['', '   '])).toBeUndefined();
  });
});

describe('makeFailure', () => {
  it('keeps messages to one line of at most 300 characters', () => {
    const failure = makeFailure({ kind: 'backend_fault', reason: 'unknown', message: `line one\n${'x'.repeat(1_000)}` });
    expect(failure.message.length).toBe(300);
    expect(failure.message).not.toContain('\n');
    expect(failure.message.endsWith('…')).toBe(true);
    expect(clampMessage('  a \n\t b ')).toBe('a b');
  });

  it('is plain JSON with defaults and no undefined fields', () => {
    const failure = makeFailure({ kind: 'unreachable', reason: 'econnrefused', message: 'refused', status: undefined });
    expect(failure).toEqual({
      kind: 'unreachable',
      reason: 'econnrefused',
      message: 'refused',
      answered: false,
      modelSpecific: false,
      retrySameBackend: false,
    });
    expect(Object.keys(failure)).not.toContain('status');
  });
});
