import type { IncomingMessage } from 'node:http';
import { tooDeepJsonMessage } from './jsonTextDepth.js';

/**
 * Why a body could not be read: not JSON (400), not all there in time (408), too large (413), or
 * over the bytes the gateway holds for all requests at once (503).
 */
export class BodyError extends Error {
  constructor(
    readonly status: 400 | 408 | 413 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** The client went away while sending its body: there is nobody to answer. */
export class ClientGone extends Error {}

/** How a body is read. */
export interface BodyLimits {
  /** The largest body accepted (`gateway.max_body_bytes`). */
  readonly maxBytes: number;
  /** From now to the body's last byte (`gateway.body_timeout_ms`): a client trickling its body is cut. */
  readonly timeoutMs: number;
  /** Holds bytes in the shared in-flight budget; false when they would pass its cap. */
  readonly reserve: (bytes: number) => boolean;
}

/**
 * Reads a JSON request body of at most `maxBytes`, within `timeoutMs`, holding its bytes in the
 * gateway's in-flight budget as they come (a declared `content-length` is held, or refused, before
 * a byte is read). A body over a limit is refused as soon as it passes it; the rest is not read
 * into memory.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(req, { maxBytes: 8 * 1024 * 1024, timeoutMs: 30_000, reserve: (n) => admission.reserve(n) });
 * ```
 */
export async function readJsonBody(req: IncomingMessage, limits: BodyLimits): Promise<unknown> {
  const text = (await readBody(req, limits)).toString('utf8');
  if (text.trim() === '') throw new BodyError(400, 'the request body is empty; send a JSON object');
  const tooDeep = tooDeepJsonMessage(text);
  if (tooDeep !== undefined) throw new BodyError(400, tooDeep);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new BodyError(400, `the request body is not JSON: ${(error as Error).message}`);
  }
}

function readBody(req: IncomingMessage, { maxBytes, timeoutMs, reserve }: BodyLimits): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(new BodyError(413, `the request body is ${declared} bytes; the limit is ${maxBytes} (gateway.max_body_bytes)`));
  const busy = () => new BodyError(503, 'the gateway holds as many request bytes as it may (gateway.max_body_bytes_in_flight); try again shortly');
  let held = 0;
  if (Number.isFinite(declared) && declared > 0) {
    if (!reserve(declared)) return Promise.reject(busy());
    held = declared;
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error: Error | undefined) => {
      clearTimeout(timer);
      req.off('data', onData).off('end', onEnd).off('error', onGone).off('close', onClose);
      if (error) {
        // Stop taking bytes in; the answer closes the connection.
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) return done(new BodyError(413, `the request body is larger than the limit of ${maxBytes} bytes (gateway.max_body_bytes)`));
      if (size > held) {
        if (!reserve(size - held)) return done(busy());
        held = size;
      }
      chunks.push(chunk);
    };
    const onEnd = () => done(undefined);
    const onGone = () => done(new ClientGone('the client closed the connection while sending its body'));
    const onClose = () => !req.complete && onGone();
    const timer = setTimeout(() => done(new BodyError(408, `the request body did not arrive within ${timeoutMs} ms (gateway.body_timeout_ms)`)), timeoutMs);
    req.on('data', onData).on('end', onEnd).on('error', onGone).on('close', onClose);
  });
}
