import { capturedErrorBody } from './captureErrorBodies.js';
import type { ProviderSaid } from './providerSaid.js';
import { maskSecrets } from '../security/maskSecrets.js';
import { isRecord } from '../util/isRecord.js';

/**
 * What a provider said about a failure, read from whatever the SDK error exposes.
 *
 * @example
 * ```ts
 * const info: ProviderError = { type: 'overloaded_error', message: 'Overloaded', text: '529 {…}' };
 * ```
 */
export interface ProviderError extends ProviderSaid {
  /**
   * Everything known about the failure as one lower-noise string (the error message, its
   * causes, the JSON payload, a captured body): what crash signatures are searched in.
   */
  readonly text: string;
}

// Searching more than this for a signature buys nothing and costs on huge HTML bodies.
const MAX_TEXT = 16_384;
const CUT_MARGIN = 512;

/**
 * Reads the provider's type, code and message from an SDK error (or anything thrown).
 *
 * Sources, in order: the error's JSON payload (`error.error`: Anthropic keeps the whole body,
 * openai keeps only `body.error`), then a body remembered by {@link captureErrorBodies} (the only
 * place a FastAPI `{"detail": …}` survives openai@6), then the error message. Envelopes
 * understood: Anthropic `{"type":"error","error":{…}}`, OpenAI `{"error":{…}}`, a flat
 * `{"message","type","code"}` (older vLLM), FastAPI `{"detail": …}`, `{"error": "text"}`, and
 * plain text. LiteLLM's string `"None"`/`"null"` fields count as absent. Credentials in the
 * message and the text are masked (`maskSecrets`), so a key the backend echoed goes no further.
 *
 * @example
 * ```ts
 * try { await anthropic.messages.create(request); }
 * catch (error) { readProviderError(error).message; } // 'Claude Code process exited with code 1'
 * ```
 */
export function readProviderError(error: unknown): ProviderError {
  const payload = fieldOf(error, 'error');
  const captured = capturedErrorBody(error);
  const fromPayload = fromEnvelope(payload);
  const fromCaptured = captured === undefined ? {} : fromEnvelope(parseJson(captured) ?? captured);
  // Not `error.code`: on a non-HTTP error that is a system code (ECONNRESET), not the provider's.
  const type = fromPayload.type ?? fromCaptured.type;
  const code = fromPayload.code ?? fromCaptured.code;
  const message = fromPayload.message ?? fromCaptured.message ?? sdkMessage(error);
  const parts = [messagesOf(error), payload === undefined ? '' : safeStringify(payload), captured ?? ''];
  return {
    ...(type !== undefined ? { type } : {}),
    ...(code !== undefined ? { code } : {}),
    ...(message !== undefined ? { message: maskSecrets(message) } : {}),
    // Masked before the final cut (with a margin longer than any key), so a key at the cut
    // cannot leave its first half behind.
    text: maskSecrets(parts.filter(Boolean).join(' | ').slice(0, MAX_TEXT + CUT_MARGIN)).slice(0, MAX_TEXT),
  };
}

type Envelope = { -readonly [K in keyof ProviderSaid]: ProviderSaid[K] };

/**
 * Reads type/code/message out of one parsed error body in any envelope {@link readProviderError}
 * understands. A string body is its own message.
 *
 * @example
 * ```ts
 * fromEnvelope({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
 * // { type: 'overloaded_error', message: 'Overloaded' }
 * ```
 */
export function fromEnvelope(body: unknown): ProviderSaid {
  if (typeof body === 'string') {
    const trimmed = body.trim();
    return trimmed ? { message: trimmed } : {};
  }
  if (!isRecord(body)) return {};
  const inner = body['error'];
  const source = isRecord(inner) ? inner : body;
  const details = source['details'];
  const result: Envelope = {};
  const type = meaningful(source['type']);
  // The outer `type: "error"` of Anthropic's envelope is not an error type.
  if (type !== undefined && !(source === body && type === 'error')) result.type = type;
  const code = meaningful(source['code']) ?? (isRecord(details) ? meaningful(details['error_code']) : undefined);
  if (code !== undefined) result.code = code;
  const message =
    meaningful(source['message']) ??
    detailText(body['detail']) ??
    (typeof inner === 'string' ? meaningful(inner) : undefined) ??
    meaningful(body['message']);
  if (message !== undefined) result.message = message;
  return result;
}

// FastAPI's `detail` is a string, or a list of validation problems (422).
function detailText(detail: unknown): string | undefined {
  if (typeof detail === 'string') return meaningful(detail);
  if (detail === undefined || detail === null) return undefined;
  return safeStringify(detail);
}

function meaningful(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '' || trimmed === 'None' || trimmed === 'null' || trimmed === 'undefined') return undefined;
  return trimmed;
}

// The SDK's own message minus the status it prefixes, e.g. Anthropic's "502 <html>…" for a
// non-JSON body; its "(no body)" placeholder is not a provider message.
function sdkMessage(error: unknown): string | undefined {
  if (fieldOf(error, 'status') === undefined) return undefined;
  const message = fieldOf(error, 'message');
  if (typeof message !== 'string') return undefined;
  const stripped = message.replace(/^\d{3}\s+/, '');
  return stripped === 'status code (no body)' ? undefined : meaningful(stripped);
}

function messagesOf(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== undefined && current !== null; depth += 1) {
    if (typeof current === 'string') {
      messages.push(current);
      break;
    }
    const message = fieldOf(current, 'message');
    if (typeof message === 'string' && message) messages.push(message);
    current = fieldOf(current, 'cause');
  }
  return messages.join(' <- ');
}

function fieldOf(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function safeStringify(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

