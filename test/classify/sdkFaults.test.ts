/**
 * The classification table, driven end to end: the real `@anthropic-ai/sdk` and `openai`
 * clients call the fake backend, which serves one fault per row; whatever the SDK throws or
 * returns is classified the way a transport would (errors through `classifyError`, "successful"
 * results through the result validators and stream checks). Every row runs for both SDKs, in
 * JSON and/or streaming mode, and asserts what the fake received.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  captureErrorBodies,
  checkAnthropicMessage,
  checkChatCompletion,
  classifyError,
  createAnthropicStreamCheck,
  createChatStreamCheck,
  type ClassifiedFailure,
  type ClassifyOptions,
} from '../../src/classify/index.js';
import {
  callWithSdk,
  FAKE_PATHS,
  faults,
  type FaultPlan,
  type SdkOutcome,
  type WireApi,
  useFakeBackend,
} from '../support/fakeBackend.js';
import { CONDITION_BOUND_MS } from '../support/virtualTimers.js';

const NOW = Date.parse('2030-01-01T00:00:00Z');
const OPTIONS: ClassifyOptions = {
  crashSignatures: ['process exited with code'],
  hintBounds: { minMs: 1_000, maxMs: 60_000 },
  now: () => NOW,
};

type Mode = 'json' | 'stream';

/** What a user of the classifier sees; optional fields are asserted absent unless listed. */
interface Expected {
  readonly kind: ClassifiedFailure['kind'];
  readonly reason: string;
  readonly answered: boolean;
  readonly retrySameBackend: boolean;
  readonly status?: number;
  readonly requestFault?: ClassifiedFailure['requestFault'];
  readonly modelSpecific?: boolean;
  readonly cooldownHintMs?: number;
  readonly errorType?: string;
  readonly errorCode?: string;
  /** Substrings the message must contain (the status, the provider's words). */
  readonly messageIncludes?: readonly string[];
}

interface Row {
  readonly name: string;
  readonly fault: FaultPlan;
  readonly modes: readonly Mode[];
  /** `undefined` means the call must be judged a success. */
  readonly expected: Expected | undefined | ((api: WireApi, mode: Mode) => Expected | undefined);
  readonly timeoutMs?: number;
}

/** What a transport does with an outcome: classify the error, or validate the "success". */
function classifyOutcome(api: WireApi, mode: Mode, outcome: SdkOutcome): ClassifiedFailure | undefined {
  if (!outcome.ok) return classifyError(outcome.error, OPTIONS);
  if (mode === 'stream') {
    const check = api === 'anthropic' ? createAnthropicStreamCheck(OPTIONS) : createChatStreamCheck(OPTIONS);
    for (const event of outcome.events) check.observe(event);
    return check.finish();
  }
  return api === 'anthropic' ? checkAnthropicMessage(outcome.value, OPTIONS) : checkChatCompletion(outcome.value, OPTIONS);
}

function project(failure: ClassifiedFailure | undefined): Record<string, unknown> | undefined {
  if (!failure) return undefined;
  return {
    kind: failure.kind,
    reason: failure.reason,
    answered: failure.answered,
    retrySameBackend: failure.retrySameBackend,
    status: failure.status,
    requestFault: failure.requestFault,
    modelSpecific: failure.modelSpecific,
    cooldownHintMs: failure.cooldownHintMs,
  };
}

function projectExpected(expected: Expected | undefined): Record<string, unknown> | undefined {
  if (!expected) return undefined;
  return {
    kind: expected.kind,
    reason: expected.reason,
    answered: expected.answered,
    retrySameBackend: expected.retrySameBackend,
    status: expected.status,
    requestFault: expected.requestFault,
    modelSpecific: expected.modelSpecific ?? false,
    cooldownHintMs: expected.cooldownHintMs,
  };
}

const backendFault = (reason: string, status: number | undefined, retrySameBackend: boolean, extra: Partial<Expected> = {}): Expected => ({
  kind: 'backend_fault',
  reason,
  answered: true,
  retrySameBackend,
  ...(status !== undefined ? { status } : {}),
  ...extra,
});

const apiError = (status: number, errorType: string, message: string, extra: { code?: string; headers?: Record<string, string> } = {}): FaultPlan => ({
  type: 'apiError',
  status,
  errorType,
  message,
  ...extra,
});

const rateLimited = (cooldownHintMs: number | undefined, api: WireApi): Expected => ({
  kind: 'rate_limited',
  reason: 'http_429',
  answered: true,
  retrySameBackend: false,
  status: 429,
  ...(cooldownHintMs !== undefined ? { cooldownHintMs } : {}),
  errorType: api === 'anthropic' ? 'rate_limit_error' : 'requests',
  ...(api === 'openai' ? { errorCode: 'rate_limit_exceeded' } : {}),
});

const BOTH: readonly Mode[] = ['json', 'stream'];

const ROWS: readonly Row[] = [
  // --- control ---------------------------------------------------------------------------------
  { name: 'a normal answer', fault: faults.ok(), modes: BOTH, expected: undefined },

  // --- crash signature ---------------------------------------------------------------------------
  {
    name: '500 FastAPI {"detail":"Claude Code process exited with code 1"}',
    fault: faults.crash(),
    modes: BOTH,
    expected: {
      kind: 'crash',
      reason: 'crash_signature',
      answered: true,
      retrySameBackend: false,
      status: 500,
      messageIncludes: ['500', 'Claude Code process exited with code 1'],
    },
  },
  {
    name: '503 with a crash signature is still a crash',
    fault: faults.crash('worker process exited with code 137', 503),
    modes: ['json'],
    expected: { kind: 'crash', reason: 'crash_signature', answered: true, retrySameBackend: false, status: 503 },
  },

  // --- 5xx / 529 / 408 / 409 ---------------------------------------------------------------------
  {
    name: 'a lone 500',
    fault: faults.serverError(500),
    modes: BOTH,
    expected: (api) =>
      backendFault('http_500', 500, true, {
        errorType: api === 'anthropic' ? 'api_error' : 'server_error',
        messageIncludes: ['500', api === 'anthropic' ? 'Internal server error' : 'The server had an error'],
      }),
  },
  { name: '502', fault: faults.serverError(502), modes: ['json'], expected: backendFault('http_502', 502, true) },
  { name: '504', fault: faults.serverError(504), modes: ['json'], expected: backendFault('http_504', 504, false) },
  {
    name: '502 with an HTML page from a proxy',
    fault: faults.html(502),
    modes: ['json'],
    expected: backendFault('http_502', 502, true, { messageIncludes: ['HTTP 502', 'Welcome to nginx'] }),
  },
  {
    name: 'overloaded in the API envelope (Anthropic 529, OpenAI 503)',
    fault: faults.overloaded(),
    modes: BOTH,
    expected: (api) =>
      api === 'anthropic'
        ? backendFault('http_529', 529, false, { errorType: 'overloaded_error', messageIncludes: ['529', 'Overloaded'] })
        : backendFault('http_503', 503, false, { errorType: 'server_error', messageIncludes: ['503', 'overloaded'] }),
  },
  {
    name: 'overloaded with the other status (Anthropic 503 like Ollama, OpenAI 529)',
    fault: (r) =>
      r.api === 'anthropic'
        ? { type: 'apiError', status: 503, errorType: 'overloaded_error', message: 'Overloaded' }
        : { type: 'apiError', status: 529, errorType: 'server_error', message: 'The engine is currently overloaded' },
    modes: ['json'],
    expected: (api) => (api === 'anthropic' ? backendFault('http_503', 503, false) : backendFault('http_529', 529, false)),
  },
  {
    name: '500 whose body says overloaded_error is not retried',
    fault: apiError(500, 'overloaded_error', 'Overloaded'),
    modes: ['json'],
    expected: backendFault('http_500', 500, false, { errorType: 'overloaded_error' }),
  },
  { name: '408', fault: apiError(408, 'timeout_error', 'Request timeout'), modes: ['json'], expected: backendFault('http_408', 408, true) },
  { name: '409', fault: apiError(409, 'conflict_error', 'Conflict'), modes: ['json'], expected: backendFault('http_409', 409, true) },
  {
    name: '501 (the endpoint does not implement this API)',
    fault: apiError(501, 'api_error', 'Not Implemented'),
    modes: ['json'],
    expected: { kind: 'auth_config', reason: 'http_501', answered: true, retrySameBackend: false, status: 501 },
  },

  // --- 429 --------------------------------------------------------------------------------------
  { name: '429 retry-after: 7 (seconds)', fault: faults.rateLimited({ 'retry-after': '7' }), modes: BOTH, expected: (api) => rateLimited(7_000, api) },
  { name: '429 retry-after-ms: 2500', fault: faults.rateLimited({ 'retry-after-ms': '2500' }), modes: ['json'], expected: (api) => rateLimited(2_500, api) },
  { name: '429 retry-after: 0 is clamped up to minMs', fault: faults.rateLimited({ 'retry-after': '0' }), modes: ['json'], expected: (api) => rateLimited(1_000, api) },
  { name: '429 retry-after: 7200 is clamped down to maxMs', fault: faults.rateLimited({ 'retry-after': '7200' }), modes: ['json'], expected: (api) => rateLimited(60_000, api) },
  {
    name: '429 retry-after as an HTTP date (against the injected clock)',
    fault: faults.rateLimited({ 'retry-after': new Date(NOW + 42_000).toUTCString() }),
    modes: ['json'],
    expected: (api) => rateLimited(42_000, api),
  },
  {
    name: '429 anthropic-ratelimit-requests-reset (RFC 3339)',
    fault: faults.rateLimited({
      'anthropic-ratelimit-requests-remaining': '0',
      'anthropic-ratelimit-requests-reset': new Date(NOW + 12_000).toISOString(),
      'anthropic-ratelimit-tokens-remaining': '90000',
      'anthropic-ratelimit-tokens-reset': new Date(NOW + 50_000).toISOString(),
    }),
    modes: ['json'],
    expected: (api) => rateLimited(12_000, api),
  },
  {
    name: '429 x-ratelimit-reset-requests: 6m0s is clamped to maxMs',
    fault: faults.rateLimited({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '6m0s' }),
    modes: ['json'],
    expected: (api) => rateLimited(60_000, api),
  },
  {
    name: '429 x-ratelimit-reset-tokens: 1.5s (the exhausted limit wins)',
    fault: faults.rateLimited({
      'x-ratelimit-remaining-requests': '59',
      'x-ratelimit-reset-requests': '50s',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': '1.5s',
    }),
    modes: ['json'],
    expected: (api) => rateLimited(1_500, api),
  },
  { name: '429 without any hint header', fault: faults.rateLimited(), modes: ['json'], expected: (api) => rateLimited(undefined, api) },
  {
    name: '429 billing (OpenAI insufficient_quota, Anthropic enforced_spend_limit_reached)',
    fault: faults.quotaExhausted(),
    modes: BOTH,
    expected: (api) => ({
      kind: 'auth_config',
      reason: 'quota_exceeded',
      answered: true,
      retrySameBackend: false,
      status: 429,
      errorCode: api === 'anthropic' ? 'enforced_spend_limit_reached' : 'insufficient_quota',
    }),
  },

  // --- 401/402/403/404 ---------------------------------------------------------------------------
  {
    name: '401',
    fault: faults.unauthorized(),
    modes: BOTH,
    expected: (api) => ({
      kind: 'auth_config',
      reason: 'http_401',
      answered: true,
      retrySameBackend: false,
      status: 401,
      ...(api === 'openai' ? { errorCode: 'invalid_api_key' } : { errorType: 'authentication_error' }),
    }),
  },
  {
    name: '402 (out of credits)',
    fault: apiError(402, 'billing_error', 'Payment required'),
    modes: ['json'],
    expected: { kind: 'auth_config', reason: 'quota_exceeded', answered: true, retrySameBackend: false, status: 402, errorType: 'billing_error' },
  },
  {
    name: '403 permission',
    fault: faults.forbidden(),
    modes: ['json'],
    expected: { kind: 'auth_config', reason: 'http_403', answered: true, retrySameBackend: false, status: 403 },
  },
  {
    name: '403 moderation (OpenRouter) is a request fault',
    fault: faults.moderated(),
    modes: ['json'],
    expected: {
      kind: 'request_fault',
      reason: 'content_policy',
      answered: true,
      retrySameBackend: false,
      status: 403,
      requestFault: 'content_policy',
      messageIncludes: ['403', 'requires moderation'],
    },
  },
  {
    name: '404 naming the model',
    fault: faults.modelNotFound(),
    modes: BOTH,
    expected: (api) => ({
      kind: 'auth_config',
      reason: 'model_not_found',
      answered: true,
      retrySameBackend: false,
      status: 404,
      modelSpecific: true,
      ...(api === 'openai' ? { errorCode: 'model_not_found' } : { errorType: 'not_found_error' }),
      messageIncludes: ['404', 'fake-model'],
    }),
  },

  // --- 400 / 413 / 422 ---------------------------------------------------------------------------
  {
    name: '400 context length (Anthropic "prompt is too long", OpenAI context_length_exceeded)',
    fault: faults.contextLength(),
    modes: BOTH,
    expected: (api) => ({
      kind: 'request_fault',
      reason: 'context_length',
      answered: true,
      retrySameBackend: false,
      status: 400,
      requestFault: 'context_length',
      errorType: 'invalid_request_error',
      ...(api === 'openai' ? { errorCode: 'context_length_exceeded' } : {}),
      messageIncludes: ['400', api === 'anthropic' ? 'prompt is too long' : 'maximum context length'],
    }),
  },
  {
    name: '400 plain invalid request',
    fault: apiError(400, 'invalid_request_error', 'messages: roles must alternate between "user" and "assistant"'),
    modes: ['json'],
    expected: { kind: 'request_fault', reason: 'http_400', answered: true, retrySameBackend: false, status: 400, requestFault: 'invalid_request' },
  },
  {
    name: '400 content policy (OpenAI content_policy_violation)',
    fault: apiError(400, 'invalid_request_error', 'Your request was rejected as a result of our safety system.', { code: 'content_policy_violation' }),
    modes: ['json'],
    expected: { kind: 'request_fault', reason: 'content_policy', answered: true, retrySameBackend: false, status: 400, requestFault: 'content_policy' },
  },
  {
    name: '400 "credit balance is too low" (Anthropic billing) is auth_config',
    fault: apiError(400, 'invalid_request_error', 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.'),
    modes: ['json'],
    expected: { kind: 'auth_config', reason: 'quota_exceeded', answered: true, retrySameBackend: false, status: 400 },
  },
  {
    name: '400 naming an unknown model (OpenRouter) marks only that model',
    fault: apiError(400, 'invalid_request_error', 'foo/bar-9000 is not a valid model ID'),
    modes: ['json'],
    expected: { kind: 'auth_config', reason: 'model_not_found', answered: true, retrySameBackend: false, status: 400, modelSpecific: true },
  },
  {
    name: '413 request too large',
    fault: apiError(413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.'),
    modes: ['json'],
    expected: { kind: 'request_fault', reason: 'http_413', answered: true, retrySameBackend: false, status: 413, requestFault: 'too_large' },
  },
  {
    name: '422 FastAPI validation error',
    fault: { type: 'raw', status: 422, body: JSON.stringify({ detail: [{ loc: ['body', 'max_tokens'], msg: 'field required', type: 'missing' }] }) },
    modes: ['json'],
    expected: { kind: 'request_fault', reason: 'http_422', answered: true, retrySameBackend: false, status: 422, requestFault: 'invalid_request' },
  },
  {
    name: '499 (client closed request)',
    fault: apiError(499, 'api_error', 'Client closed request'),
    modes: ['json'],
    expected: { kind: 'aborted', reason: 'http_499', answered: true, retrySameBackend: false, status: 499 },
  },

  // --- "successful" failures -----------------------------------------------------------------------
  {
    name: 'content filter (Anthropic stop_reason refusal, OpenAI finish_reason content_filter)',
    fault: faults.contentFiltered(),
    modes: BOTH,
    expected: (api) => ({
      kind: 'request_fault',
      reason: api === 'anthropic' ? 'refusal' : 'content_filter',
      answered: true,
      retrySameBackend: false,
      requestFault: 'content_policy',
    }),
  },
  {
    name: '200 with an HTML body',
    fault: faults.html(),
    modes: BOTH,
    expected: (_api, mode) =>
      mode === 'json'
        ? backendFault('non_json_body', undefined, false, { messageIncludes: ['Welcome to nginx'] })
        : backendFault('empty_stream', undefined, false),
  },
  {
    name: '200 with a truncated JSON body',
    fault: faults.truncatedJson(),
    modes: BOTH,
    expected: (_api, mode) =>
      mode === 'json' ? backendFault('malformed_body', undefined, false) : backendFault('empty_stream', undefined, false),
  },
  { name: '200 with empty content', fault: faults.emptyContent(), modes: BOTH, expected: backendFault('empty_content', undefined, false) },
  {
    name: 'stop_reason "error" (Anthropic) / finish_reason "error" (OpenAI), even with message_stop',
    fault: faults.stopReasonError(),
    modes: BOTH,
    expected: (api) => backendFault(api === 'anthropic' ? 'stop_reason_error' : 'finish_reason_error', undefined, false),
  },

  // --- stream faults --------------------------------------------------------------------------------
  {
    name: 'mid-stream overloaded_error event',
    fault: faults.streamError('overloaded_error', 'Overloaded'),
    modes: ['stream'],
    expected: backendFault('stream_error', undefined, false, { errorType: 'overloaded_error', messageIncludes: ['Overloaded'] }),
  },
  {
    name: 'mid-stream api_error event',
    fault: (r) => ({ type: 'streamError', errorType: r.api === 'anthropic' ? 'api_error' : 'server_error', message: 'Internal server error' }),
    modes: ['stream'],
    expected: (api) => backendFault('stream_error', undefined, true, { errorType: api === 'anthropic' ? 'api_error' : 'server_error' }),
  },
  {
    name: 'mid-stream error event carrying a crash signature',
    fault: faults.streamError('api_error', 'Claude Code process exited with code 1'),
    modes: ['stream'],
    expected: { kind: 'crash', reason: 'crash_signature', answered: true, retrySameBackend: false, errorType: 'api_error' },
  },
  {
    name: 'mid-stream rate_limit_error event',
    fault: faults.streamError('rate_limit_error', 'Rate limited'),
    modes: ['stream'],
    expected: { kind: 'rate_limited', reason: 'stream_rate_limited', answered: true, retrySameBackend: false },
  },
  {
    name: 'socket destroyed mid-body (undici "terminated")',
    fault: faults.cutStream(),
    modes: BOTH,
    expected: backendFault('stream_cut', undefined, true),
  },
  { name: 'stream that ends without its terminal event', fault: faults.truncatedStream(), modes: ['stream'], expected: backendFault('truncated_stream', undefined, true) },

  // --- before the status line ---------------------------------------------------------------------
  {
    name: 'socket closed before headers (FIN → UND_ERR_SOCKET)',
    fault: faults.destroy(),
    modes: BOTH,
    expected: { kind: 'backend_fault', reason: 'socket_closed', answered: false, retrySameBackend: true },
  },
  {
    name: 'connection reset before headers (RST → ECONNRESET)',
    fault: faults.reset(),
    modes: BOTH,
    expected: { kind: 'backend_fault', reason: 'econnreset', answered: false, retrySameBackend: true },
  },
  {
    name: 'no answer at all (SDK timeout)',
    fault: faults.hang(),
    modes: BOTH,
    timeoutMs: 300,
    expected: { kind: 'backend_fault', reason: 'timeout', answered: false, retrySameBackend: false },
  },
];

describe('classification table through the real SDKs', () => {
  const backend = useFakeBackend();
  const fake = backend.fake;

  const cases = ROWS.flatMap((row) =>
    (['anthropic', 'openai'] as const).flatMap((api) => row.modes.map((mode) => ({ row, api, mode }))),
  );

  it.each(cases.map((c) => [`${c.api} ${c.mode}: ${c.row.name}`, c] as const))('%s', async (_name, { row, api, mode }) => {
    fake.enqueue(row.fault);
    const outcome = await callWithSdk(api, backend.url, {
      stream: mode === 'stream',
      timeoutMs: row.timeoutMs ?? 5_000,
      fetch: captureErrorBodies(),
    });
    const failure = classifyOutcome(api, mode, outcome);
    const expected = typeof row.expected === 'function' ? row.expected(api, mode) : row.expected;

    expect(project(failure)).toEqual(projectExpected(expected));
    if (expected && failure) {
      if (expected.errorType !== undefined) expect(failure.errorType).toBe(expected.errorType);
      if (expected.errorCode !== undefined) expect(failure.errorCode).toBe(expected.errorCode);
      for (const part of expected.messageIncludes ?? []) expect(failure.message).toContain(part);
      expect(failure.message.length).toBeLessThanOrEqual(300);
      expect(JSON.parse(JSON.stringify(failure))).toEqual(failure);
    }
    // maxRetries: 0 — one failure is exactly one request on the wire.
    expect(fake.count(FAKE_PATHS[api])).toBe(1);
    expect(fake.count()).toBe(1);
  });
});

describe('a 404 from a wrong base URL is configuration, not a model', () => {
  const backend = useFakeBackend();
  const fake = backend.fake;

  it.each([
    ['anthropic', (url: string) => `${url}/v1`, '/v1/v1/messages'],
    ['openai', (url: string) => url, '/chat/completions'],
  ] as const)('%s with a misconfigured base URL', async (api, baseURL, path) => {
    fake.reset();
    const outcome = await callWithSdk(api, backend.url, { baseURL: baseURL(backend.url), fetch: captureErrorBodies() });
    const failure = classifyOutcome(api, 'json', outcome);
    expect(project(failure)).toEqual(
      projectExpected({ kind: 'auth_config', reason: 'http_404', answered: true, retrySameBackend: false, status: 404 }),
    );
    expect(failure?.message).toContain('Not Found');
    expect(fake.count(path)).toBe(1);
  });
});

describe('errors the SDKs raise themselves', () => {
  const backend = useFakeBackend();
  const fake = backend.fake;

  it('Anthropic without a timeout refuses a large non-streaming call before sending it', async () => {
    const client = new Anthropic({ apiKey: 'x', baseURL: backend.url, maxRetries: 0 });
    // It throws synchronously from create(), not as a rejected promise: a transport must
    // call inside try/await, never `create(...).catch(...)`.
    let error: unknown;
    let returned: unknown;
    try {
      returned = client.messages.create({ model: 'fake-model', max_tokens: 64_000, messages: [{ role: 'user', content: 'hi' }] });
    } catch (thrown) {
      error = thrown;
    }
    expect(returned).toBeUndefined();
    expect((error as Error).message).toMatch(/^Streaming is required/);
    expect(project(classifyError(error, OPTIONS))).toEqual(
      projectExpected({ kind: 'request_fault', reason: 'streaming_required', answered: false, retrySameBackend: false, requestFault: 'invalid_request' }),
    );
    expect(fake.count()).toBe(0);
  });

  it.each([
    ['content_filter', faults.contentFiltered(), { kind: 'request_fault', reason: 'content_filter', requestFault: 'content_policy' }],
    ['length', { type: 'reply', text: 'partial', finishReason: 'length' } as const, { kind: 'request_fault', reason: 'output_limit', requestFault: 'invalid_request' }],
  ] as const)('openai chat.completions.parse() with finish_reason %s', async (_name, fault, expected) => {
    fake.enqueue(fault);
    const client = new OpenAI({ apiKey: 'x', baseURL: `${backend.url}/v1`, maxRetries: 0, timeout: CONDITION_BOUND_MS });
    const error = await client.chat.completions
      .parse({ model: 'fake-model', messages: [{ role: 'user', content: 'hi' }] })
      .then(() => undefined, (thrown: unknown) => thrown);
    expect(classifyError(error, OPTIONS)).toMatchObject({ ...expected, answered: true, retrySameBackend: false });
    expect(fake.count('/v1/chat/completions')).toBe(1);
  });
});
