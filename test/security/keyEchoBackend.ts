import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * How the backend gives the key back:
 * - `401`: the provider's own "Incorrect API key provided: <key>" (OpenAI envelope) or
 *   "authentication failed for key <key>" (Anthropic envelope);
 * - `500`: a FastAPI `{"detail": …}` body (chat) or a plain-text body (Anthropic) naming the key;
 * - `stream`: a 200 stream that sends some text, then an error event naming the key (a non-stream
 *   request gets the same words in a 500);
 * - `header`: a 403 quoting the request's own auth header (`Authorization: Bearer <key>` /
 *   `x-api-key: <key>`), with the key in the error code too;
 * - `foreign`: a 401 naming an `sk-ant-…` key that is nobody's configured key.
 */
export type EchoVariant = '401' | '500' | 'stream' | 'header' | 'foreign';

export const ECHO_VARIANTS: readonly EchoVariant[] = ['401', '500', 'stream', 'header', 'foreign'];

/** A random string of letters and digits (no `sk-`, `Bearer` or other shape by accident). */
export function randomKeyPart(length: number): string {
  const alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRTUVWXY346789';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** A key that is nobody's: the backend mentions it, no config holds it. Only its shape can mask it. */
export const FOREIGN_KEY = `sk-ant-api03-${randomKeyPart(40)}`;

/** What the backend saw: the key each request carried, by path. */
export interface EchoRequest {
  readonly path: string;
  readonly key: string | undefined;
}

export interface StartedEchoBackend {
  readonly url: string;
  readonly requests: EchoRequest[];
  close(): Promise<void>;
}

/**
 * A local backend on 127.0.0.1 that fails every request by echoing the key it was sent. The
 * variant is the first path segment (`/401/…`, `/stream/…`), so one server plays every variant at
 * distinct base URLs (distinct backends to the router).
 */
export async function startKeyEchoBackend(): Promise<StartedEchoBackend> {
  const requests: EchoRequest[] = [];
  const server = createServer((req, res) => {
    void handle(req, res, requests).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, requests: EchoRequest[]): Promise<void> {
  let raw = '';
  for await (const chunk of req) raw += String(chunk);
  const body = (() => {
    try {
      return JSON.parse(raw) as { stream?: boolean };
    } catch {
      return {};
    }
  })();
  const path = req.url ?? '/';
  const anthropic = path.endsWith('/v1/messages');
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
  const apiKeyHeader = req.headers['x-api-key'];
  const key = typeof apiKeyHeader === 'string' ? apiKeyHeader : bearer;
  requests.push({ path, key });
  const variant = path.split('/')[1] as EchoVariant;
  const json = (status: number, value: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(value));
  };
  switch (variant) {
    case '401':
      return anthropic
        ? json(401, { type: 'error', error: { type: 'authentication_error', message: `authentication failed for key ${key}` } })
        : json(401, {
            error: { message: `Incorrect API key provided: ${key}. You can find your API key at https://platform.openai.com/account/api-keys.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
          });
    case '500':
      if (anthropic) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        return void res.end(`Internal Server Error: the proxy could not authenticate upstream with ${key}\n`);
      }
      return json(500, { detail: `upstream returned 401 for key ${key}` });
    case 'stream': {
      const words = `key ${key} was revoked mid-stream`;
      if (!body.stream) return json(500, { error: { message: words, type: 'server_error' } });
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      if (anthropic) {
        res.write(`event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'echo', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 1, output_tokens: 0 } } })}\n\n`);
        res.write(`event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`);
        res.write(`event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Partial answer. ' } })}\n\n`);
        return void res.end(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'api_error', message: words } })}\n\n`);
      }
      res.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'echo', choices: [{ index: 0, delta: { role: 'assistant', content: 'Partial answer. ' }, finish_reason: null }] })}\n\n`);
      return void res.end(`data: ${JSON.stringify({ error: { message: words, type: 'server_error', code: 'key_revoked' } })}\n\n`);
    }
    case 'header':
      return anthropic
        ? json(403, { type: 'error', error: { type: 'permission_error', message: `request rejected: header x-api-key: ${key} is not allowed here` } })
        : json(403, { error: { message: `request rejected: header Authorization: Bearer ${key} is not allowed here`, type: 'permission_error', code: `bad_key:${key}` } });
    case 'foreign':
      return json(401, anthropic
        ? { type: 'error', error: { type: 'authentication_error', message: `the key ${FOREIGN_KEY} belongs to another organization` } }
        : { error: { message: `The key ${FOREIGN_KEY} belongs to another organization`, type: 'invalid_request_error', code: 'invalid_api_key' } });
    default:
      return json(404, { error: { message: `no variant ${variant}`, type: 'not_found' } });
  }
}

/**
 * Every recognisable piece of a key: the whole, its first half and its second half. A masked
 * output contains none of them.
 */
export function keyPieces(key: string): string[] {
  return [key, key.slice(0, Math.ceil(key.length / 2)), key.slice(Math.floor(key.length / 2))];
}

/** The names of the keys (and halves) found in `text`; an empty list is what every output must give. */
export function leakedKeys(text: string, keys: Readonly<Record<string, string>>): string[] {
  const found: string[] = [];
  for (const [name, key] of Object.entries(keys)) {
    const [whole, first, second] = keyPieces(key);
    if (text.includes(whole!)) found.push(`${name} (whole)`);
    else {
      if (text.includes(first!)) found.push(`${name} (first half)`);
      if (text.includes(second!)) found.push(`${name} (second half)`);
    }
  }
  return found;
}
