import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * The gateway's client tokens, compared in constant time: each candidate the client sent
 * (`Authorization: Bearer …`, `x-api-key`) is hashed, and the hash is compared with every
 * configured token's hash with `timingSafeEqual`, without stopping at a match. Hashing first makes
 * every comparison the same length, so neither a token's content nor its length shows in the time
 * an answer takes.
 *
 * @example
 * ```ts
 * const tokens = new ClientTokens(['secret-token-1']);
 * tokens.admits(req); // true for Authorization: Bearer secret-token-1
 * ```
 */
export class ClientTokens {
  private readonly hashes: readonly Buffer[];

  constructor(tokens: readonly string[]) {
    this.hashes = tokens.map(digest);
  }

  /** No tokens configured: every caller that passed the host and origin checks is admitted. */
  get required(): boolean {
    return this.hashes.length > 0;
  }

  admits(req: IncomingMessage): boolean {
    if (!this.required) return true;
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    const key = req.headers['x-api-key'];
    const candidates = [bearer, typeof key === 'string' ? key : undefined].filter((c): c is string => c !== undefined).map(digest);
    let match = false;
    for (const candidate of candidates) for (const hash of this.hashes) match = timingSafeEqual(candidate, hash) || match;
    return match;
  }
}
