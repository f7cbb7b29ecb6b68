import type { NeutralResponse } from '../transports/neutral.js';
import {
  anthropicError,
  anthropicMessage,
  createAnthropicStream,
  createOpenAiChatStream,
  openAiChatCompletion,
  openAiError,
  parseAnthropicMessagesRequest,
  parseOpenAiChatRequest,
  type ParsedRequest,
} from './protocol/index.js';

/** The stream writer of one response, in the client's protocol: each method returns SSE text to write. */
export interface WireStream {
  start(): string;
  text(delta: string): string;
  finish(response: NeutralResponse): string;
  error(message: string, type: string): string;
}

/**
 * One client protocol as the gateway speaks it: how a request is read, and how an answer, a
 * stream and an error are written.
 *
 * @example
 * ```ts
 * const wire = WIRE_PROTOCOLS.openai;
 * const parsed = wire.parse(body);
 * ```
 */
export interface WireProtocol {
  readonly name: 'openai' | 'anthropic';
  parse(body: unknown): ParsedRequest;
  respond(response: NeutralResponse, id: string): object;
  stream(id: string, model: string, includeUsage: boolean): WireStream;
  /** An error body; `type` is the protocol's error type when the gateway knows better than the status. */
  error(status: number, message: string, type?: string): object;
}

const now = () => Math.floor(Date.now() / 1000);

/** Both protocols, by the path they are served on. */
export const WIRE_PROTOCOLS: Readonly<Record<'openai' | 'anthropic', WireProtocol>> = Object.freeze({
  openai: {
    name: 'openai',
    parse: parseOpenAiChatRequest,
    respond: (response, id) => openAiChatCompletion(response, { id, created: now(), model: response.model }),
    stream(id, model, includeUsage) {
      const writer = createOpenAiChatStream({ id, created: now(), model, includeUsage });
      return { start: () => writer.start(), text: (d) => writer.text(d), finish: (r) => writer.finish(r), error: (message, type) => writer.error({ message, type }) };
    },
    // OpenAI's error types follow from the status; the gateway's Anthropic-style names would only confuse its clients.
    error: (status, message) => openAiError(status, message),
  },
  anthropic: {
    name: 'anthropic',
    parse: parseAnthropicMessagesRequest,
    respond: (response, id) => anthropicMessage(response, { id, model: response.model }),
    stream(id, model) {
      const writer = createAnthropicStream({ id, model });
      return { start: () => writer.start(), text: (d) => writer.text(d), finish: (r) => writer.finish(r), error: (message, type) => writer.error({ type, message }) };
    },
    error: (status, message, type) => anthropicError(status, message, type),
  },
});
