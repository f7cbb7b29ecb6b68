import { request, type IncomingHttpHeaders } from 'node:http';

/** What came back from a request sent with {@link rawRequest}. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  json(): unknown;
}

/**
 * One HTTP request with exactly the headers given — `Host` included, which `fetch` will not let a
 * caller forge — on a connection of its own.
 */
export function rawRequest(base: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<RawResponse> {
  const url = new URL(options.path, base);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A chat completion body, as an OpenAI client sends it. */
export const chatBody = (model = 'claude-sonnet-4-6', text = 'hello') => JSON.stringify({ model, messages: [{ role: 'user', content: text }] });

/** A Messages body, as an Anthropic client sends it. */
export const messagesBody = (model = 'claude-sonnet-4-6', text = 'hello') => JSON.stringify({ model, max_tokens: 20, messages: [{ role: 'user', content: text }] });
