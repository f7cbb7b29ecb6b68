import type { IncomingMessage } from 'node:http';
import { tooDeepJsonMessage } from './jsonTextDepth.js';

/** Why a body could not be read: too large (413), or not JSON (400). */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 413,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads a JSON request body of at most `limit` bytes; a larger one is refused as soon as it
 * exceeds the limit (the rest is not read into memory).
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, 8 * 1024 * 1024);
 * ```
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw new BodyError(413, `the request body is ${declared} bytes; the limit is ${limit}`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new BodyError(413, `the request body is larger than the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new BodyError(400, 'the request body is empty; send a JSON object');
  const tooDeep = tooDeepJsonMessage(text);
  if (tooDeep !== undefined) throw new BodyError(400, tooDeep);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, `the request body is not JSON: ${(error as Error).message}`);
  }
}
