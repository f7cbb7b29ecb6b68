import type { NeutralRequest } from '../../transports/neutral.js';
import type { WireError } from './wireError.js';

/**
 * A client's request read into the neutral form, with what the neutral request does not carry:
 * the model the client named (the lead decides what it maps to), whether it wants a stream, and
 * whether its stream should end with a usage chunk. `request.stream` is set too when the client
 * streams, so the request can go to the router as it is.
 *
 * For Anthropic clients `includeUsage` is always true: every Anthropic stream reports usage in
 * its `message_delta`.
 *
 * @example
 * ```ts
 * const parsed = parseOpenAiChatRequest(body);
 * if (!parsed.ok) return reply(parsed.error.status, openAiError(parsed.error.status, parsed.error.message, { param: parsed.error.param }));
 * const { request, model, stream, includeUsage } = parsed;
 * ```
 */
export type ParsedRequest =
  | {
      readonly ok: true;
      readonly request: NeutralRequest;
      readonly model: string;
      readonly stream: boolean;
      readonly includeUsage: boolean;
    }
  | { readonly ok: false; readonly error: WireError };
