/**
 * Result validators and stream checks on shapes the fake does not serve (tool calls, thinking,
 * usage-only chunks, raw error events), plus the promise that `classifyError` never throws.
 * The SDK-driven cases are in sdkFaults.test.ts.
 */
import { describe, expect, it } from 'vitest';
import {
  checkAnthropicMessage,
  checkChatCompletion,
  classifyError,
  createAnthropicStreamCheck,
  createChatStreamCheck,
  DEFAULT_CLASSIFY_OPTIONS,
} from '../../src/classify/index.js';

const message = (content: unknown[], stop_reason = 'end_turn'): Record<string, unknown> => ({
  id: 'msg_1',
  type: 'message',
  role: 'assistant',
  model: 'm',
  content,
  stop_reason,
  stop_sequence: null,
  usage: { input_tokens: 1, output_tokens: 1 },
});

const completion = (msg: Record<string, unknown>, finish_reason = 'stop'): Record<string, unknown> => ({
  id: 'c',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', refusal: null, ...msg }, logprobs: null, finish_reason }],
});

describe('checkAnthropicMessage', () => {
  it.each([
    ['text', message([{ type: 'text', text: 'hi' }])],
    ['a tool call alone', message([{ type: 'tool_use', id: 't', name: 'f', input: {} }], 'tool_use')],
    ['thinking alone', message([{ type: 'thinking', thinking: '…', signature: 's' }])],
  ])('%s is an answer', (_name, value) => {
    expect(checkAnthropicMessage(value)).toBeUndefined();
  });

  it.each([
    ['whitespace-only text', message([{ type: 'text', text: '  \n' }]), 'backend_fault', 'empty_content'],
    ['empty at max_tokens', message([], 'max_tokens'), 'request_fault', 'output_limit'],
    ['stop_reason error with a crash message', message([{ type: 'text', text: 'Claude Code process exited with code 2' }], 'error'), 'crash', 'crash_signature'],
    ['a JSON object that is not a message', { ok: true }, 'backend_fault', 'malformed_body'],
    ['null', null, 'backend_fault', 'empty_body'],
    ['a plain-text crash', 'Claude Code process exited with code 1', 'crash', 'crash_signature'],
  ])('%s → %s / %s', (_name, value, kind, reason) => {
    expect(checkAnthropicMessage(value)).toMatchObject({ kind, reason, answered: true });
  });
});

describe('checkChatCompletion', () => {
  it.each([
    ['text', completion({ content: 'hi' })],
    ['a tool call with null content', completion({ content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }] }, 'tool_calls')],
  ])('%s is an answer', (_name, value) => {
    expect(checkChatCompletion(value)).toBeUndefined();
  });

  it.each([
    ['a refusal', completion({ content: null, refusal: 'I cannot help with that.' }), 'request_fault', 'refusal'],
    ['empty at length', completion({ content: '' }, 'length'), 'request_fault', 'output_limit'],
    ['no choices', { ...completion({ content: 'x' }), choices: [] }, 'backend_fault', 'no_choices'],
    ['no choices array', { error: 'x' }, 'backend_fault', 'malformed_body'],
    ['an HTML string', '<html>502</html>', 'backend_fault', 'non_json_body'],
  ])('%s → %s / %s', (_name, value, kind, reason) => {
    expect(checkChatCompletion(value)).toMatchObject({ kind, reason, answered: true });
  });
});

describe('createAnthropicStreamCheck', () => {
  const start = { type: 'message_start', message: message([], null as unknown as string) };
  const stop = { type: 'message_stop' };

  it('a tool-use stream is complete', () => {
    const check = createAnthropicStreamCheck();
    for (const event of [
      start,
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' } },
      stop,
    ]) {
      check.observe(event);
    }
    expect(check.finish()).toBeUndefined();
    expect(check.events).toBe(6);
  });

  it('a raw `error` event (SSE parsed by the caller) is a stream error', () => {
    const check = createAnthropicStreamCheck();
    check.observe(start);
    check.observe({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expect(check.finish()).toMatchObject({ kind: 'backend_fault', reason: 'stream_error', retrySameBackend: false, errorType: 'overloaded_error' });
  });

  it('observe never throws, whatever it is fed', () => {
    const check = createAnthropicStreamCheck();
    const hostile = new Proxy({}, { get: () => { throw new Error('boom'); } });
    expect(() => check.observe(hostile)).not.toThrow();
    expect(() => check.observe(undefined)).not.toThrow();
  });
});

describe('createChatStreamCheck', () => {
  const chunk = (delta: Record<string, unknown>, finish_reason: string | null = null): Record<string, unknown> => ({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta, finish_reason }],
  });

  it('a tool-call stream with a trailing usage-only chunk is complete', () => {
    const check = createChatStreamCheck();
    check.observe(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 't', type: 'function', function: { name: 'f', arguments: '' } }] }));
    check.observe(chunk({}, 'tool_calls'));
    check.observe({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { total_tokens: 3 } });
    expect(check.finish()).toBeUndefined();
  });

  it('a streamed refusal is a content-policy request fault', () => {
    const check = createChatStreamCheck();
    check.observe(chunk({ refusal: 'I cannot ' }));
    check.observe(chunk({ refusal: 'help.' }, 'stop'));
    expect(check.finish()).toMatchObject({ kind: 'request_fault', requestFault: 'content_policy', reason: 'refusal' });
  });

  it('a raw {"error": …} chunk with a billing code is auth_config', () => {
    const check = createChatStreamCheck();
    check.observe(chunk({ content: 'Hel' }));
    check.observe({ error: { message: 'You exceeded your current quota.', type: 'insufficient_quota', code: 'insufficient_quota' } });
    expect(check.finish()).toMatchObject({ kind: 'auth_config', reason: 'stream_quota_exceeded', answered: true, errorCode: 'insufficient_quota' });
  });

  it('a raw {"error": …} chunk with a crash message is a crash', () => {
    const check = createChatStreamCheck();
    check.observe({ error: { message: 'Claude Code process exited with code 1', type: 'server_error' } });
    expect(check.finish()).toMatchObject({ kind: 'crash', reason: 'crash_signature', answered: true });
  });
});

describe('classifyError never throws', () => {
  const throwingGetter = Object.defineProperty(new Error('x'), 'status', {
    get() {
      throw new Error('getter exploded');
    },
  });
  const revoked = Proxy.revocable({}, {});
  revoked.revoke();

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a symbol', Symbol('s')],
    ['a plain object', { foo: 'bar' }],
    ['an error with a throwing getter', throwingGetter],
    ['a revoked proxy', revoked.proxy],
  ])('%s → a failure', (_name, value) => {
    const failure = classifyError(value);
    expect(failure.kind).toBe('backend_fault');
    expect(failure.reason).toMatch(/^(unknown)$/);
    expect(failure.message.length).toBeLessThanOrEqual(300);
  });

  it('a thrown string with a crash signature is a crash', () => {
    expect(classifyError('Claude Code process exited with code 1', DEFAULT_CLASSIFY_OPTIONS)).toMatchObject({
      kind: 'crash',
      answered: false,
    });
  });

  it('an unknown Error keeps its message', () => {
    expect(classifyError(new Error('something odd happened'))).toMatchObject({
      kind: 'backend_fault',
      reason: 'unknown',
      message: 'something odd happened',
      answered: false,
      retrySameBackend: false,
    });
  });
});
