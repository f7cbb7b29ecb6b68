/**
 * What the real SDKs send, read by the gateway's parsers: the test server records the request
 * bodies of `openai` and `@anthropic-ai/sdk` calls (system prompt, tools, tool calls, tool
 * results, streaming options) and answers them with the writers, and the parsers must turn the
 * recorded bodies into the expected neutral requests. For conversations already in the shape the
 * client translators produce, translating the neutral request back (`toChatParams`,
 * `toAnthropicParams`) must give the messages the SDK sent: the server side is the inverse of
 * the client side.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  anthropicMessage,
  createAnthropicStream,
  createOpenAiChatStream,
  openAiChatCompletion,
  parseAnthropicMessagesRequest,
  parseOpenAiChatRequest,
  type ParsedRequest,
} from '../../../src/gateway/protocol/index.js';
import type { NeutralRequest, NeutralTool } from '../../../src/transports/neutral.js';
import { toAnthropicParams } from '../../../src/transports/toAnthropic.js';
import { toChatParams } from '../../../src/transports/toOpenAiChat.js';
import { entry } from '../../support/entries.js';
import { textAnswer } from './fixtures.js';
import { useWireServer, type WireServer } from './wireServer.js';
import { CONDITION_BOUND_MS } from '../../support/virtualTimers.js';

const readFileSchema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
const listDirSchema = { type: 'object', properties: {} };
const neutralTools: NeutralTool[] = [
  { name: 'read_file', description: 'Read a file', inputSchema: readFileSchema },
  { name: 'list_dir', inputSchema: listDirSchema },
];

function only(server: WireServer): unknown {
  expect(server.requests).toHaveLength(1);
  return server.requests[0]?.body;
}

function accepted(parsed: ParsedRequest): Extract<ParsedRequest, { ok: true }> {
  if (!parsed.ok) throw new Error(`refused: ${parsed.error.message}`);
  return parsed;
}

describe('gateway protocol: what the real SDKs send', () => {
  const server = useWireServer();

  describe('openai', () => {
    const openai = (): OpenAI => new OpenAI({ baseURL: `${server.current.url}/v1`, apiKey: 'x', maxRetries: 0, timeout: CONDITION_BOUND_MS });
    const chatTools: OpenAI.Chat.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'read_file', description: 'Read a file', parameters: readFileSchema } },
      { type: 'function', function: { name: 'list_dir', parameters: listDirSchema } },
    ];

    it('a streamed agent turn: system and developer prompts, tool calls, tool results (string and parts), text after them', async () => {
      server.current.reply(() => {
        const stream = createOpenAiChatStream({ id: 'c1', created: 1, model: 'm', includeUsage: true });
        return { kind: 'sse', chunks: [stream.finish(textAnswer)] };
      });
      const stream = await openai().chat.completions.create({
        model: 'gw-model',
        stream: true,
        stream_options: { include_usage: true },
        temperature: 0.3,
        max_completion_tokens: 512,
        tools: chatTools,
        messages: [
          { role: 'system', content: 'You are a coding agent.' },
          { role: 'developer', content: [{ type: 'text', text: 'Prefer small diffs.' }] },
          { role: 'user', content: 'Fix the bug in a.ts' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              { id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } },
              { id: 'call_2', type: 'function', function: { name: 'list_dir', arguments: '' } },
            ],
          },
          { role: 'tool', tool_call_id: 'call_1', content: 'export const a = 1;' },
          { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'a.ts' }, { type: 'text', text: 'b.ts' }] },
          { role: 'user', content: [{ type: 'text', text: 'Go on.' }] },
        ],
      });
      for await (const _chunk of stream) void _chunk;

      const parsed = accepted(parseOpenAiChatRequest(only(server.current)));
      expect(parsed.model).toBe('gw-model');
      expect(parsed.stream).toBe(true);
      expect(parsed.includeUsage).toBe(true);
      expect(parsed.request).toEqual({
        system: 'You are a coding agent.\n\nPrefer small diffs.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Fix the bug in a.ts' }] },
          {
            role: 'assistant',
            content: [
              { type: 'tool_call', id: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
              { type: 'tool_call', id: 'call_2', name: 'list_dir', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', toolCallId: 'call_1', content: 'export const a = 1;' },
              { type: 'tool_result', toolCallId: 'call_2', content: 'a.ts\nb.ts' },
              { type: 'text', text: 'Go on.' },
            ],
          },
        ],
        maxTokens: 512,
        temperature: 0.3,
        tools: neutralTools,
        stream: true,
      } satisfies NeutralRequest);
    });

    it('a non-streamed canonical conversation parses, and toChatParams gives back exactly the messages, tools and max_tokens sent', async () => {
      server.current.reply({ kind: 'json', body: openAiChatCompletion(textAnswer, { id: 'c2', created: 1, model: 'm' }) });
      const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Read a.ts' },
        {
          role: 'assistant',
          content: 'Reading it.',
          tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'export const a = 1;' },
        { role: 'user', content: 'Thanks. Now b.ts' },
      ];
      await openai().chat.completions.create({ model: 'gw-model', max_tokens: 300, tools: chatTools, messages });

      const parsed = accepted(parseOpenAiChatRequest(only(server.current)));
      expect(parsed).toMatchObject({ model: 'gw-model', stream: false, includeUsage: false });
      expect(parsed.request.stream).toBeUndefined();
      expect(parsed.request.maxTokens).toBe(300);
      const back = toChatParams(entry('model', 'custom', 'backend-model', 'http://127.0.0.1:9/v1', { apiMode: 'chat_completions' }), parsed.request);
      expect(back.messages).toEqual(messages);
      expect(back.tools).toEqual(chatTools);
      expect(back.max_tokens).toBe(300);
    });
  });

  describe('@anthropic-ai/sdk', () => {
    const anthropic = (): Anthropic => new Anthropic({ baseURL: server.current.url, apiKey: 'x', maxRetries: 0, timeout: CONDITION_BOUND_MS });
    const tools: Anthropic.Tool[] = [
      { name: 'read_file', description: 'Read a file', input_schema: readFileSchema as Anthropic.Tool.InputSchema },
      { name: 'list_dir', input_schema: listDirSchema as Anthropic.Tool.InputSchema },
    ];

    it('messages.stream() with system blocks, thinking, tool calls, tool results (string, blocks, is_error) and a prefill', async () => {
      server.current.reply(() => {
        const stream = createAnthropicStream({ id: 'msg_1', model: 'm' });
        return { kind: 'sse', chunks: [stream.finish(textAnswer)] };
      });
      await anthropic()
        .messages.stream({
          model: 'gw-model',
          max_tokens: 1024,
          temperature: 0.5,
          metadata: { user_id: 'user-1' },
          system: [
            { type: 'text', text: 'You are a coding agent.', cache_control: { type: 'ephemeral' } },
            { type: 'text', text: 'Be careful.' },
          ],
          tools,
          messages: [
            { role: 'user', content: 'Fix the bug' },
            {
              role: 'assistant',
              content: [
                { type: 'thinking', thinking: 'Read it first.', signature: 'sig' },
                { type: 'text', text: 'Reading.' },
                { type: 'tool_use', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
                { type: 'tool_use', id: 'toolu_2', name: 'list_dir', input: {} },
              ],
            },
            {
              role: 'user',
              content: [
                { type: 'tool_result', tool_use_id: 'toolu_1', content: 'export const a = 1;' },
                { type: 'tool_result', tool_use_id: 'toolu_2', content: [{ type: 'text', text: 'permission denied' }], is_error: true },
                { type: 'text', text: 'Go on.', cache_control: { type: 'ephemeral' } },
              ],
            },
            { role: 'assistant', content: 'The fix is' },
          ],
        })
        .finalMessage();

      const parsed = accepted(parseAnthropicMessagesRequest(only(server.current)));
      expect(parsed).toMatchObject({ model: 'gw-model', stream: true, includeUsage: true });
      expect(parsed.request).toEqual({
        system: 'You are a coding agent.\n\nBe careful.',
        messages: [
          { role: 'user', content: [{ type: 'text', text: 'Fix the bug' }] },
          {
            role: 'assistant',
            content: [
              { type: 'text', text: 'Reading.' },
              { type: 'tool_call', id: 'toolu_1', name: 'read_file', input: { path: 'a.ts' } },
              { type: 'tool_call', id: 'toolu_2', name: 'list_dir', input: {} },
            ],
          },
          {
            role: 'user',
            content: [
              { type: 'tool_result', toolCallId: 'toolu_1', content: 'export const a = 1;' },
              { type: 'tool_result', toolCallId: 'toolu_2', content: 'permission denied', isError: true },
              { type: 'text', text: 'Go on.' },
            ],
          },
          { role: 'assistant', content: [{ type: 'text', text: 'The fix is' }] },
        ],
        maxTokens: 1024,
        temperature: 0.5,
        tools: neutralTools,
        stream: true,
      } satisfies NeutralRequest);
    });

    it('a non-streamed canonical conversation parses, and toAnthropicParams gives back exactly the system, messages and tools sent', async () => {
      server.current.reply({ kind: 'json', body: anthropicMessage(textAnswer, { id: 'msg_2', model: 'm' }) });
      const messages: Anthropic.MessageParam[] = [
        { role: 'user', content: [{ type: 'text', text: 'Read a.ts' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Reading it.' },
            { type: 'tool_use', id: 'toolu_9', name: 'read_file', input: { path: 'a.ts' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_9', content: 'no such file', is_error: true },
            { type: 'text', text: 'Try b.ts' },
          ],
        },
      ];
      await anthropic().messages.create({ model: 'gw-model', max_tokens: 200, system: 'Be brief.', tools, messages });

      const parsed = accepted(parseAnthropicMessagesRequest(only(server.current)));
      expect(parsed).toMatchObject({ model: 'gw-model', stream: false });
      const back = toAnthropicParams(entry('model', 'custom', 'backend-model', 'http://127.0.0.1:9', { apiMode: 'anthropic_messages' }), parsed.request);
      expect(back.system).toBe('Be brief.');
      expect(back.messages).toEqual(messages);
      expect(back.tools).toEqual(tools);
      expect(back.max_tokens).toBe(200);
    });
  });
});
