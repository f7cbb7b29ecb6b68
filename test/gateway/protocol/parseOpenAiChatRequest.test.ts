/**
 * parseOpenAiChatRequest: Chat Completions bodies as clients send them, read into neutral
 * requests; and bad bodies refused with a 400 whose message names the JSON path, the value and
 * what was expected, with `param` set to the path.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_TOKENS, parseOpenAiChatRequest, type ParsedRequest } from '../../../src/gateway/protocol/index.js';

const user = { role: 'user', content: 'Hi' };
const base = { model: 'gw-model', messages: [user] };
const toolCall = (args: string) => ({ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: args } });

function accepted(body: unknown): Extract<ParsedRequest, { ok: true }> {
  const parsed = parseOpenAiChatRequest(body);
  if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}`);
  return parsed;
}

describe('parseOpenAiChatRequest', () => {
  describe('accepts', () => {
    it('the smallest request: one user message, the default budget, not streamed', () => {
      expect(accepted(base)).toEqual({
        ok: true,
        model: 'gw-model',
        stream: false,
        includeUsage: false,
        request: { messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: DEFAULT_MAX_TOKENS },
      });
      expect(DEFAULT_MAX_TOKENS).toBe(4096);
    });

    it('max_tokens, or max_completion_tokens which wins when both are sent', () => {
      expect(accepted({ ...base, max_tokens: 100 }).request.maxTokens).toBe(100);
      expect(accepted({ ...base, max_completion_tokens: 200 }).request.maxTokens).toBe(200);
      expect(accepted({ ...base, max_tokens: 100, max_completion_tokens: 200 }).request.maxTokens).toBe(200);
    });

    it('null for every optional field, as the openai SDK types allow, meaning not set', () => {
      const parsed = accepted({
        ...base, max_tokens: null, max_completion_tokens: null, temperature: null, tools: null, stream: null,
        stream_options: null, n: null, stop: null, response_format: null, tool_choice: null,
      });
      expect(parsed.request).toEqual({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 4096 });
      expect(parsed.stream).toBe(false);
    });

    it('include_usage only for a streamed request', () => {
      expect(accepted({ ...base, stream: true, stream_options: { include_usage: true } })).toMatchObject({ stream: true, includeUsage: true, request: { stream: true } });
      expect(accepted({ ...base, stream: true })).toMatchObject({ stream: true, includeUsage: false });
      expect(accepted({ ...base, stream: false, stream_options: { include_usage: true } })).toMatchObject({ stream: false, includeUsage: false });
    });

    it('system and developer messages anywhere become one system prompt, joined with blank lines', () => {
      const parsed = accepted({
        ...base,
        messages: [
          { role: 'system', content: 'First.' },
          user,
          { role: 'developer', content: [{ type: 'text', text: 'Second' }, { type: 'text', text: 'part.' }] },
          { role: 'system', content: '' },
        ],
      });
      expect(parsed.request.system).toBe('First.\n\nSecond\npart.');
      expect(parsed.request.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
    });

    it('consecutive messages of one role merge; empty text adds no part; names are ignored; a trailing assistant message stays last', () => {
      const parsed = accepted({
        ...base,
        messages: [
          { role: 'user', content: 'One', name: 'ann' },
          { role: 'user', content: [{ type: 'text', text: 'Two' }, { type: 'text', text: '' }] },
          { role: 'assistant', content: 'Three' },
          { role: 'assistant', content: [{ type: 'text', text: 'Four' }, { type: 'refusal', refusal: 'No.' }] },
          { role: 'user', content: '' },
          { role: 'assistant', content: 'Prefill' },
        ],
      });
      expect(parsed.request.messages).toEqual([
        { role: 'user', content: [{ type: 'text', text: 'One' }, { type: 'text', text: 'Two' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Three' }, { type: 'text', text: 'Four' }, { type: 'text', text: 'No.' }] },
        { role: 'user', content: [] },
        { role: 'assistant', content: [{ type: 'text', text: 'Prefill' }] },
      ]);
    });

    it('tool calls with empty arguments as {} (servers send ""), tool results merged with the text that follows', () => {
      const parsed = accepted({
        ...base,
        messages: [
          user,
          { role: 'assistant', content: '', tool_calls: [toolCall(''), { ...toolCall('{"path":"b"}'), id: 'call_2' }] },
          { role: 'tool', tool_call_id: 'call_1', content: 'one' },
          { role: 'tool', tool_call_id: 'call_2', content: '[tool error] missing' },
          { role: 'user', content: 'next' },
        ],
      });
      expect(parsed.request.messages.slice(1)).toEqual([
        {
          role: 'assistant',
          content: [
            { type: 'tool_call', id: 'call_1', name: 'read_file', input: {} },
            { type: 'tool_call', id: 'call_2', name: 'read_file', input: { path: 'b' } },
          ],
        },
        {
          role: 'user',
          content: [
            // Chat Completions has no is_error: the text is the client's, kept as sent.
            { type: 'tool_result', toolCallId: 'call_1', content: 'one' },
            { type: 'tool_result', toolCallId: 'call_2', content: '[tool error] missing' },
            { type: 'text', text: 'next' },
          ],
        },
      ]);
    });

    it('tools: description kept when given, a function without parameters gets an empty object schema, strict dropped', () => {
      const parsed = accepted({
        ...base,
        tools: [
          { type: 'function', function: { name: 'a', description: 'A tool', parameters: { type: 'object', properties: { x: { type: 'number' } } }, strict: true } },
          { type: 'function', function: { name: 'now' } },
        ],
        tool_choice: 'auto',
      });
      expect(parsed.request.tools).toEqual([
        { name: 'a', description: 'A tool', inputSchema: { type: 'object', properties: { x: { type: 'number' } } } },
        { name: 'now', inputSchema: { type: 'object', properties: {} } },
      ]);
      expect(accepted({ ...base, tools: [] }).request.tools).toBeUndefined();
    });

    it('options that only tune sampling or bookkeeping, and harmless values of the refused ones', () => {
      const parsed = accepted({
        ...base, temperature: 2, top_p: 0.9, seed: 7, user: 'u', metadata: { a: 'b' }, store: false, parallel_tool_calls: false,
        presence_penalty: 0.5, frequency_penalty: 0.5, reasoning_effort: 'low', n: 1, stop: [], response_format: { type: 'text' },
        logprobs: false, modalities: ['text'], tool_choice: 'none',
      });
      expect(parsed.request).toEqual({ messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }], maxTokens: 4096, temperature: 2 });
    });
  });

  describe('refuses, naming the path, the value and what was expected', () => {
    const cases: [string, unknown, string, string][] = [
      ['a body that is not an object', [], 'body', 'body: expected a JSON object, got []'],
      ['a null body', null, 'body', 'body: expected a JSON object, got null'],
      ['no model', { messages: [user] }, 'model', 'model: required field is missing (expected a non-empty string)'],
      ['a model that is not a string', { ...base, model: 42 }, 'model', 'model: expected a non-empty string, got 42'],
      ['an empty model', { ...base, model: '' }, 'model', 'model: expected a non-empty string, got ""'],
      ['no messages', { model: 'm' }, 'messages', 'messages: required field is missing (expected a non-empty array of messages)'],
      ['messages that are a string', { ...base, messages: 'hi' }, 'messages', 'messages: expected a non-empty array of messages, got "hi"'],
      ['empty messages', { ...base, messages: [] }, 'messages', 'messages: expected at least one user, assistant or tool message besides system messages, got []'],
      ['only system messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, 'messages',
        'messages: expected at least one user, assistant or tool message besides system messages, got [{"role":"system","content":"x"}]'],
      ['a message that is a string', { ...base, messages: ['hi'] }, 'messages[0]', 'messages[0]: expected a message object, got "hi"'],
      ['an unknown role', { ...base, messages: [user, { role: 'robot', content: 'x' }] }, 'messages[1].role',
        'messages[1].role: expected "system", "developer", "user", "assistant" or "tool", got "robot"'],
      ['a legacy function message', { ...base, messages: [user, { role: 'function', name: 'f', content: 'x' }] }, 'messages[1].role',
        'messages[1].role: "function" is not supported by this gateway (legacy function messages; send tool messages with tool_call_id)'],
      ['user content that is a number', { ...base, messages: [user, user, { role: 'user', content: 42 }] }, 'messages[2].content',
        'messages[2].content: expected a string or an array of content parts, got 42'],
      ['an image part', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'see' }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] },
        'messages[0].content[1].type', 'messages[0].content[1].type: "image_url" is not supported by this gateway (only text content is routed; the backends may not accept media)'],
      ['an audio part', { ...base, messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
        'messages[0].content[0].type', 'messages[0].content[0].type: "input_audio" is not supported by this gateway (only text content is routed; the backends may not accept media)'],
      ['a part without a type', { ...base, messages: [{ role: 'user', content: [{ text: 'x' }] }] }, 'messages[0].content[0].type',
        'messages[0].content[0].type: expected "text", got nothing'],
      ['a text part whose text is a number', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 5 }] }] }, 'messages[0].content[0].text',
        'messages[0].content[0].text: expected a string, got 5'],
      ['system content that is an object', { ...base, messages: [{ role: 'system', content: {} }, user] }, 'messages[0].content',
        'messages[0].content: expected a string or an array of text parts, got {}'],
      ['assistant content that is a number', { ...base, messages: [user, { role: 'assistant', content: 5 }] }, 'messages[1].content',
        'messages[1].content: expected a string, an array of text parts, or null, got 5'],
      ['an assistant part that is neither text nor refusal', { ...base, messages: [user, { role: 'assistant', content: [{ type: 'audio' }] }] },
        'messages[1].content[0].type', 'messages[1].content[0].type: expected "text" or "refusal", got "audio"'],
      ['tool call arguments that are not JSON', { ...base, messages: [user, { role: 'assistant', content: null, tool_calls: [toolCall('{"path":')] }] },
        'messages[1].tool_calls[0].function.arguments', 'messages[1].tool_calls[0].function.arguments: expected a JSON object encoded as a string, got "{\\"path\\":"'],
      ['tool call arguments that are a JSON array', { ...base, messages: [user, { role: 'assistant', tool_calls: [toolCall('[1]')] }] },
        'messages[1].tool_calls[0].function.arguments', 'messages[1].tool_calls[0].function.arguments: expected a JSON object encoded as a string, got "[1]"'],
      ['tool call arguments that are an object, not a string', { ...base, messages: [user, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] }] },
        'messages[1].tool_calls[0].function.arguments', 'messages[1].tool_calls[0].function.arguments: expected a string, got {"a":1}'],
      ['a tool call without an id', { ...base, messages: [user, { role: 'assistant', tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] },
        'messages[1].tool_calls[0].id', 'messages[1].tool_calls[0].id: required field is missing (expected a non-empty string)'],
      ['a tool call without a name', { ...base, messages: [user, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { arguments: '{}' } }] }] },
        'messages[1].tool_calls[0].function.name', 'messages[1].tool_calls[0].function.name: required field is missing (expected a non-empty string)'],
      ['a custom tool call', { ...base, messages: [user, { role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'f', input: 'x' } }] }] },
        'messages[1].tool_calls[0].type', 'messages[1].tool_calls[0].type: "custom" is not supported by this gateway (only function tool calls are routed)'],
      ['tool_calls that are not an array', { ...base, messages: [user, { role: 'assistant', tool_calls: {} }] }, 'messages[1].tool_calls',
        'messages[1].tool_calls: expected an array of tool calls, got {}'],
      ['a legacy function_call', { ...base, messages: [user, { role: 'assistant', function_call: { name: 'f', arguments: '{}' } }] }, 'messages[1].function_call',
        'messages[1].function_call: {"name":"f","arguments":"{}"} is not supported by this gateway (legacy function calling; send tool_calls)'],
      ['a tool message without tool_call_id', { ...base, messages: [user, { role: 'tool', content: 'x' }] }, 'messages[1].tool_call_id',
        'messages[1].tool_call_id: required field is missing (expected a non-empty string)'],
      ['a tool message whose content is a number', { ...base, messages: [user, { role: 'tool', tool_call_id: 'c', content: 7 }] }, 'messages[1].content',
        'messages[1].content: expected a string or an array of text parts, got 7'],
      ['max_tokens 0', { ...base, max_tokens: 0 }, 'max_tokens', 'max_tokens: expected an integer of at least 1, got 0'],
      ['max_completion_tokens 1.5', { ...base, max_completion_tokens: 1.5 }, 'max_completion_tokens', 'max_completion_tokens: expected an integer of at least 1, got 1.5'],
      ['max_tokens as a string', { ...base, max_tokens: '100' }, 'max_tokens', 'max_tokens: expected an integer of at least 1, got "100"'],
      ['temperature above 2', { ...base, temperature: 3 }, 'temperature', 'temperature: expected a number from 0 to 2, got 3'],
      ['temperature as a word', { ...base, temperature: 'hot' }, 'temperature', 'temperature: expected a number from 0 to 2, got "hot"'],
      ['tools that are an object', { ...base, tools: {} }, 'tools', 'tools: expected an array of tools, got {}'],
      ['a custom tool', { ...base, tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type',
        'tools[0].type: "custom" is not supported by this gateway (only function tools are routed)'],
      ['a tool without a type', { ...base, tools: [{ function: { name: 'x' } }] }, 'tools[0].type', 'tools[0].type: expected "function", got nothing'],
      ['a tool without a name', { ...base, tools: [{ type: 'function', function: { description: 'x' } }] }, 'tools[0].function.name',
        'tools[0].function.name: required field is missing (expected a non-empty string)'],
      ['tool parameters that are a string', { ...base, tools: [{ type: 'function', function: { name: 'x', parameters: 'none' } }] }, 'tools[0].function.parameters',
        'tools[0].function.parameters: expected a JSON Schema object, got "none"'],
      ['n above 1', { ...base, n: 3 }, 'n', 'n: 3 is not supported by this gateway (the gateway returns exactly one choice; send n: 1 or leave it out)'],
      ['n 0', { ...base, n: 0 }, 'n', 'n: expected an integer of at least 1, got 0'],
      ['a stop string', { ...base, stop: 'END' }, 'stop', 'stop: "END" is not supported by this gateway (stop sequences are not forwarded to the backends)'],
      ['stop sequences', { ...base, stop: ['a', 'b'] }, 'stop', 'stop: ["a","b"] is not supported by this gateway (stop sequences are not forwarded to the backends)'],
      ['stop as a number', { ...base, stop: 5 }, 'stop', 'stop: expected a string or an array of strings, got 5'],
      ['JSON mode', { ...base, response_format: { type: 'json_object' } }, 'response_format.type',
        'response_format.type: "json_object" is not supported by this gateway (structured output is not routed; only "text")'],
      ['logprobs', { ...base, logprobs: true }, 'logprobs', 'logprobs: true is not supported by this gateway (log probabilities are not available from every backend)'],
      ['audio output', { ...base, modalities: ['text', 'audio'] }, 'modalities', 'modalities: ["text","audio"] is not supported by this gateway (only text output is routed)'],
      ['a forced tool choice', { ...base, tools: [{ type: 'function', function: { name: 'x' } }], tool_choice: 'required' }, 'tool_choice',
        'tool_choice: "required" is not supported by this gateway (the backends always choose freely among the tools; send "auto" or leave it out)'],
      ['tool_choice none with tools', { ...base, tools: [{ type: 'function', function: { name: 'x' } }], tool_choice: 'none' }, 'tool_choice',
        'tool_choice: "none" is not supported by this gateway (the backends always choose freely among the tools; send "auto" or leave it out)'],
      ['legacy functions', { ...base, functions: [{ name: 'f' }] }, 'functions', 'functions: [{"name":"f"}] is not supported by this gateway (legacy function calling; send tools)'],
      ['stream as a word', { ...base, stream: 'yes' }, 'stream', 'stream: expected true or false, got "yes"'],
      ['include_usage as a word', { ...base, stream: true, stream_options: { include_usage: 'yes' } }, 'stream_options.include_usage',
        'stream_options.include_usage: expected true or false, got "yes"'],
      ['a message without a role', { ...base, messages: [user, { content: 'x' }] }, 'messages[1].role',
        'messages[1].role: expected "system", "developer", "user", "assistant" or "tool", got nothing'],
      ['a long bad value, shown cut short', { ...base, temperature: 'y'.repeat(500) }, 'temperature',
        `temperature: expected a number from 0 to 2, got "${'y'.repeat(79)}…`],
    ];

    for (const [what, body, path, message] of cases) {
      it(`${what} → 400 at ${path}`, () => {
        expect(parseOpenAiChatRequest(body)).toEqual({ ok: false, error: { status: 400, message, param: path } });
      });
    }
  });
});
