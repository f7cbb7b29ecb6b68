import type { NeutralResponse } from '../transports/neutral.js';
import {
  anthropicError,
  isAnthropicErrorType,
  anthropicMessage,
  createAnthropicStream,
  createOpenAiChatStream,
  openAiChatCompletion,
  openAiError,
  parseAnthropicMessagesRequest,
  parseOpenAiChatRequest,
  type ParsedRequest,
} from './protocol/index.js';

/**
 * What an error body says besides its status and message.
 *
 * @example
 * ```ts
 * const detail: ErrorDetail = { type: 'invalid_request_error', provider: { code: 'content_policy_violation' } };
 * ```
 */
export interface ErrorDetail {
  /** The gateway's own Anthropic-style type for the failure (OpenAI clients get the type their protocol gives the status). */
  readonly type?: string;
  /**
   * What the provider said, passed to the client unchanged: its error code always, its error type
   * where the client's protocol has that type (any type for OpenAI; Anthropic's own types for Anthropic).
   */
  readonly provider?: { readonly type?: string; readonly code?: string };
}

/** The stream writer of one response, in the client's protocol: each method returns SSE text to write. */
export interface WireStream {
  start(): string;
  text(delta: string): string;
  finish(response: NeutralResponse): string;
  error(message: string, detail: ErrorDetail): string;
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
  /** An error body for `status`, in this protocol's envelope. */
  error(status: number, message: string, detail?: ErrorDetail): object;
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
      return { start: () => writer.start(), text: (d) => writer.text(d), finish: (r) => writer.finish(r), error: (message, detail) => writer.error({ message, ...openAiDetail(detail) }) };
    },
    error: (status, message, detail = {}) => openAiError(status, message, openAiDetail(detail)),
  },
  anthropic: {
    name: 'anthropic',
    parse: parseAnthropicMessagesRequest,
    respond: (response, id) => anthropicMessage(response, { id, model: response.model }),
    stream(id, model) {
      const writer = createAnthropicStream({ id, model });
      return {
        start: () => writer.start(),
        text: (d) => writer.text(d),
        finish: (r) => writer.finish(r),
        error: (message, detail) => writer.error({ type: anthropicType(detail) ?? 'api_error', message, ...(detail.provider?.code !== undefined ? { code: detail.provider.code } : {}) }),
      };
    },
    error: (status, message, detail = {}) => anthropicError(status, message, anthropicType(detail), detail.provider?.code),
  },
});

/** OpenAI's error types follow from the status; the gateway's Anthropic-style names would only confuse its clients, a provider's own type and code pass. */
function openAiDetail(detail: ErrorDetail): { type?: string; code?: string } {
  const { type, code } = detail.provider ?? {};
  return { ...(type !== undefined ? { type } : {}), ...(code !== undefined ? { code } : {}) };
}

function anthropicType(detail: ErrorDetail): string | undefined {
  const provided = detail.provider?.type;
  return provided !== undefined && isAnthropicErrorType(provided) ? provided : detail.type;
}
