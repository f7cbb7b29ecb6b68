import { createHash } from 'node:crypto';
import type { FetchLike } from '../classify/captureErrorBodies.js';
import type { BackendEntry } from '../config/routerConfig.js';
import { sdkBaseUrl } from '../identity/requestUrl.js';
import { sdkClientFor, type SdkClient } from './sdkClient.js';

/**
 * SDK clients kept per backend entry, so calls to one backend reuse one client (and its
 * connection pool) instead of building a new one per call.
 *
 * @example
 * ```ts
 * const clients = createClientCache();
 * const sdk = await clients.get(entry, 60_000);
 * ```
 */
export interface ClientCache {
  /** The client for this entry, made on first use with this `timeout` (calls pass their own timeout per request). */
  get(entry: BackendEntry, timeoutMs: number): Promise<SdkClient>;
  /** How many clients are cached. */
  readonly size: number;
}

/**
 * A new {@link ClientCache}, keyed by api mode, entry label, SDK base URL and a SHA-256 of the
 * API key (so a rotated key gets a new client, and the key itself is not kept as a map key). A
 * client that could not be made (the SDK is missing) is not cached.
 *
 * @example
 * ```ts
 * const clients = createClientCache(captureErrorBodies());
 * ```
 */
export function createClientCache(fetch?: FetchLike): ClientCache {
  const clients = new Map<string, Promise<SdkClient>>();
  return {
    get(entry, timeoutMs) {
      const key = [entry.apiMode, entry.label, sdkBaseUrl(entry.identity), digest(entry.apiKey)].join('\u0000');
      let client = clients.get(key);
      if (!client) {
        client = sdkClientFor(entry, { timeoutMs, ...(fetch ? { fetch } : {}) });
        clients.set(key, client);
        client.catch(() => clients.delete(key));
      }
      return client;
    },
    get size() {
      return clients.size;
    },
  };
}

function digest(apiKey: string | undefined): string {
  return apiKey === undefined ? '-' : createHash('sha256').update(apiKey).digest('hex');
}
