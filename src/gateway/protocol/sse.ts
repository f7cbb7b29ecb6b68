/**
 * One server-sent event with a name (Anthropic names every event) and a JSON payload, ending
 * with the blank line that makes it complete for the client's parser.
 *
 * @example
 * ```ts
 * sseEvent('ping', { type: 'ping' }); // 'event: ping\ndata: {"type":"ping"}\n\n'
 * ```
 */
export function sseEvent(event: string, data: unknown): string {
  return `event: ${event}\n${sseData(data)}`;
}

/**
 * One unnamed server-sent event (OpenAI sends only `data:` lines): JSON text, or a literal such
 * as `[DONE]`.
 *
 * @example
 * ```ts
 * sseData({ choices: [] }); // 'data: {"choices":[]}\n\n'
 * sseData('[DONE]'); // 'data: [DONE]\n\n'
 * ```
 */
export function sseData(data: unknown): string {
  return `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
}

/**
 * The text of `final` that a stream has not written yet: all of it when nothing was streamed
 * (the backend answered without streaming), the rest when what was streamed is its beginning,
 * nothing when they disagree (what a client already has cannot be taken back).
 *
 * @example
 * ```ts
 * unsentText('Hello there', 'Hello'); // ' there'
 * ```
 */
export function unsentText(final: string, sent: string): string {
  return final.startsWith(sent) ? final.slice(sent.length) : '';
}
