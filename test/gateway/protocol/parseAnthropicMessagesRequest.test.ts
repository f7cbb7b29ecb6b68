/**
 * parseAnthropicMessagesRequest: Messages API bodies as clients send them (Claude Code's
 * included: system blocks with cache_control, thinking in history, metadata), read into neutral
 * requests; and bad bodies refused with a 400 whose message names the JSON path, the value and
 * what was expected.
 */
import { describe, expect, it } from 'vitest';
import { parseAnthropicMessagesRequest, type ParsedRequest } from '../../../src/gateway/protocol/index.js';

const user = { role: 'user', content: 'Hi' };
const base = { model: 'gw-model', max_tokens: 256, messages: [user] };
const hiText = { role: 'user', content: [{ type: 'text', text: 'Hi' }] };

function accepted(body: unknown): Extract<ParsedRequest, { ok: true }> {
  const parsed = parseAnthropicMessagesRequest(body);
  if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}`);
  return parsed;
}

describe('parseAnthropicMessagesRequest', () => {
  describe('accepts', () => {
    it('the smallest request: model, max_tokens, one user message; includeUsage is always true', () => {
      expect(accepted(base)).toEqual({
        ok: true,
        model: 'gw-model',
        stream: false,
        includeUsage: true,
        request: { messages: [hiText], maxTokens: 256 },
      });
      expect(accepted({ ...base, stream: true })).toMatchObject({ stream: true, includeUsage: true, request: { stream: true } });
    });

    it('system as a string, or text blocks joined with blank lines (cache_control ignored, empty ones skipped); an empty system is none', () => {
      expect(accepted({ ...base, system: 'Be brief.' }).request.system).toBe('Be brief.');
      expect(
        accepted({ ...base, system: [{ type: 'text', text: 'One.', cache_control: { type: 'ephemeral' } }, { type: 'text', text: '' }, { type: 'text', text: 'Two.' }] })
          .request.system,
      ).toBe('One.\n\nTwo.');
      expect(accepted({ ...base, system: '' }).request.system).toBeUndefined();
      expect(accepted({ ...base, system: [] }).request.system).toBeUndefined();
    });

    it('thinking and redacted_thinking blocks are dropped from history; the thinking option, metadata, top_k and tool_choice auto are ignored', () => {
      const parsed = accepted({
        ...base,
        thinking: { type: 'enabled', budget_tokens: 128 },
        metadata: { user_id: 'u' },
        top_k: 5,
        top_p: 0.9,
        tools: [{ name: 't', input_schema: { type: 'object' } }],
        tool_choice: { type: 'auto', disable_parallel_tool_use: true },
        messages: [
          user,
          { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 's' }, { type: 'redacted_thinking', data: 'y' }, { type: 'text', text: 'Hello' }] },
          { role: 'user', content: 'Again' },
        ],
      });
      expect(parsed.request.messages).toEqual([
        hiText,
        { role: 'assistant', content: [{ type: 'text', text: 'Hello' }] },
        { role: 'user', content: [{ type: 'text', text: 'Again' }] },
      ]);
    });

    it('consecutive messages of one role merge; empty text adds no part; a trailing assistant message stays last as a prefill', () => {
      const parsed = accepted({
        ...base,
        messages: [
          { role: 'user', content: 'One' },
          { role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'Two' }] },
          { role: 'assistant', content: '{"answer":' },
        ],
      });
      expect(parsed.request.messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
        { role: 'assistant', content: [{ type: 'text', text: '{"answer":' }] },
      ]);
    });

    it('tool results: no content is "", text blocks join with newlines, is_error kept whether true or false', () => {
      const parsed = accepted({
        ...base,
        messages: [
          user,
          { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: {} }, { type: 'tool_use', id: 'b', name: 't', input: { n: 1 } }, { type: 'tool_use', id: 'c', name: 't', input: {} }] },
          {
            role: 'user',
            content: [
              { type: 'tool_result', tool_use_id: 'a' },
              { type: 'tool_result', tool_use_id: 'b', content: [{ type: 'text', text: 'l1' }, { type: 'text', text: 'l2' }], is_error: false },
              { type: 'tool_result', tool_use_id: 'c', content: 'boom', is_error: true },
            ],
          },
        ],
      });
      expect(parsed.request.messages[2]).toEqual({
        role: 'user',
        content: [
          { type: 'tool_result', toolCallId: 'a', content: '' },
          { type: 'tool_result', toolCallId: 'b', content: 'l1\nl2', isError: false },
          { type: 'tool_result', toolCallId: 'c', content: 'boom', isError: true },
        ],
      });
    });

    it('tools with type custom or none, description optional; temperature up to 1', () => {
      const parsed = accepted({
        ...base,
        temperature: 1,
        tools: [
          { type: 'custom', name: 'a', description: 'A', input_schema: { type: 'object', properties: {} }, cache_control: { type: 'ephemeral' } },
          { name: 'b', input_schema: { type: 'object' } },
        ],
      });
      expect(parsed.request.temperature).toBe(1);
      expect(parsed.request.tools).toEqual([
        { name: 'a', description: 'A', inputSchema: { type: 'object', properties: {} } },
        { name: 'b', inputSchema: { type: 'object' } },
      ]);
      expect(accepted({ ...base, tools: [], tool_choice: { type: 'none' }, stop_sequences: [] }).request.tools).toBeUndefined();
    });
  });

  describe('refuses, naming the path, the value and what was expected', () => {
    const cases: [string, unknown, string, string][] = [
      ['a body that is not an object', 'hi', 'body', 'body: expected a JSON object, got "hi"'],
      ['no model', { max_tokens: 1, messages: [user] }, 'model', 'model: required field is missing (expected a non-empty string)'],
      ['no max_tokens (Anthropic requires it)', { model: 'm', messages: [user] }, 'max_tokens', 'max_tokens: required field is missing (expected an integer of at least 1)'],
      ['max_tokens null', { ...base, max_tokens: null }, 'max_tokens', 'max_tokens: required field is missing (expected an integer of at least 1)'],
      ['max_tokens as a string', { ...base, max_tokens: '100' }, 'max_tokens', 'max_tokens: expected an integer of at least 1, got "100"'],
      ['max_tokens 0', { ...base, max_tokens: 0 }, 'max_tokens', 'max_tokens: expected an integer of at least 1, got 0'],
      ['no messages', { model: 'm', max_tokens: 1 }, 'messages', 'messages: required field is missing (expected a non-empty array of messages)'],
      ['empty messages', { ...base, messages: [] }, 'messages', 'messages: expected a non-empty array of messages, got []'],
      ['a system role in messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages[0].role', 'messages[0].role: expected "user" or "assistant", got "system"'],
      ['content that is a number', { ...base, messages: [user, { role: 'assistant', content: 42 }] }, 'messages[1].content',
        'messages[1].content: expected a string or an array of content blocks, got 42'],
      ['a block that is a string', { ...base, messages: [{ role: 'user', content: ['hi'] }] }, 'messages[0].content[0]', 'messages[0].content[0]: expected a content block object, got "hi"'],
      ['an image block', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: "image" is not supported by this gateway (only text, tool_use and tool_result blocks are routed)'],
      ['a document block', { ...base, messages: [{ role: 'user', content: [{ type: 'document', source: {} }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: "document" is not supported by this gateway (only text, tool_use and tool_result blocks are routed)'],
      ['tool_use in a user message', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_use', id: 'a', name: 't', input: {} }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: expected "text" or "tool_result" in a user message, got "tool_use"'],
      ['tool_result in an assistant message', { ...base, messages: [user, { role: 'assistant', content: [{ type: 'tool_result', tool_use_id: 'a' }] }] },
        'messages[1].content[0].type', 'messages[1].content[0].type: expected "text", "tool_use" or "thinking" in an assistant message, got "tool_result"'],
      ['thinking in a user message', { ...base, messages: [{ role: 'user', content: [{ type: 'thinking', thinking: 'x' }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: expected "text" or "tool_result" in a user message, got "thinking"'],
      ['a block without a type', { ...base, messages: [{ role: 'user', content: [{ text: 'x' }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: expected "text" or "tool_result" in a user message, got nothing'],
      ['a text block whose text is missing', { ...base, messages: [{ role: 'user', content: [{ type: 'text' }] }] },
        'messages[0].content[0].text', 'messages[0].content[0].text: required field is missing (expected a string)'],
      ['tool_use input that is a string', { ...base, messages: [user, { role: 'assistant', content: [{ type: 'tool_use', id: 'a', name: 't', input: 'x' }] }] },
        'messages[1].content[0].input', 'messages[1].content[0].input: expected an object, got "x"'],
      ['tool_use without an id', { ...base, messages: [user, { role: 'assistant', content: [{ type: 'tool_use', name: 't', input: {} }] }] },
        'messages[1].content[0].id', 'messages[1].content[0].id: required field is missing (expected a non-empty string)'],
      ['tool_result without tool_use_id', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', content: 'x' }] }] },
        'messages[0].content[0].tool_use_id', 'messages[0].content[0].tool_use_id: required field is missing (expected a non-empty string)'],
      ['a tool_result holding an image', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: [{ type: 'image', source: {} }] }] }] },
        'messages[0].content[0].content[0].type', 'messages[0].content[0].content[0].type: "image" is not supported by this gateway (only text tool results are routed)'],
      ['a tool_result whose content is a number', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', content: 3 }] }] },
        'messages[0].content[0].content', 'messages[0].content[0].content: expected a string or an array of text blocks, got 3'],
      ['is_error as a word', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'a', is_error: 'yes' }] }] },
        'messages[0].content[0].is_error', 'messages[0].content[0].is_error: expected true or false, got "yes"'],
      ['system as a number', { ...base, system: 5 }, 'system', 'system: expected a string or an array of text blocks, got 5'],
      ['a system block that is not text', { ...base, system: [{ type: 'image', source: {} }] }, 'system[0].type', 'system[0].type: expected "text", got "image"'],
      ['temperature above 1', { ...base, temperature: 1.5 }, 'temperature', 'temperature: expected a number from 0 to 1, got 1.5'],
      ['tools that are a string', { ...base, tools: 'all' }, 'tools', 'tools: expected an array of tools, got "all"'],
      ['a tool without input_schema', { ...base, tools: [{ name: 't' }] }, 'tools[0].input_schema', 'tools[0].input_schema: required field is missing (expected a JSON Schema object)'],
      ['a tool without a name', { ...base, tools: [{ input_schema: {} }] }, 'tools[0].name', 'tools[0].name: required field is missing (expected a non-empty string)'],
      ['a server tool', { ...base, tools: [{ type: 'web_search_20250305', name: 'web_search' }] }, 'tools[0].type',
        'tools[0].type: "web_search_20250305" is not supported by this gateway (server tools run only on Anthropic; declare client tools with input_schema)'],
      ['stop sequences', { ...base, stop_sequences: ['END'] }, 'stop_sequences', 'stop_sequences: ["END"] is not supported by this gateway (stop sequences are not forwarded to the backends)'],
      ['stop_sequences as a string', { ...base, stop_sequences: 'END' }, 'stop_sequences', 'stop_sequences: expected an array of strings, got "END"'],
      ['a forced tool choice', { ...base, tools: [{ name: 't', input_schema: {} }], tool_choice: { type: 'tool', name: 't' } }, 'tool_choice.type',
        'tool_choice.type: "tool" is not supported by this gateway (the backends always choose freely among the tools; send {"type":"auto"} or leave it out)'],
      ['tool_choice any', { ...base, tool_choice: { type: 'any' } }, 'tool_choice.type',
        'tool_choice.type: "any" is not supported by this gateway (the backends always choose freely among the tools; send {"type":"auto"} or leave it out)'],
      ['tool_choice as a string', { ...base, tool_choice: 'auto' }, 'tool_choice', 'tool_choice: expected an object with a type, got "auto"'],
      ['stream as a number', { ...base, stream: 1 }, 'stream', 'stream: expected true or false, got 1'],
    ];

    for (const [what, body, path, message] of cases) {
      it(`${what} → 400 at ${path}`, () => {
        expect(parseAnthropicMessagesRequest(body)).toEqual({ ok: false, error: { status: 400, message, param: path } });
      });
    }
  });
});
