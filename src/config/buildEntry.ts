import { inspect } from 'node:util';
import { endpointKey, modelKey } from '../identity/keys.js';
import type { Target } from './locateEntry.js';
import type { BackendEntry } from './routerConfig.js';

/**
 * Assemble the frozen {@link BackendEntry} for a located, credentialed entry. The key stays a
 * normal property (spreading an entry must keep it), but `JSON.stringify` and `console.log`
 * show `***` instead, through non-enumerable `toJSON` and `util.inspect` hooks, so a config dumped
 * into a log, a snapshot or a journal does not carry it.
 *
 * @internal
 * @example
 * ```ts
 * const entry = buildEntry(target, { label: 'model', apiKey: 'sk-…', scope: 'endpoint' });
 * JSON.stringify(entry); // … "apiKey":"***" …
 * ```
 */
export function buildEntry(
  target: Target,
  extra: { readonly label: string; readonly apiKey?: string | undefined; readonly scope: 'endpoint' | 'model'; readonly contextWindow?: number | undefined },
): BackendEntry {
  const entry: BackendEntry = {
    label: extra.label,
    provider: target.provider,
    model: target.model,
    apiMode: target.apiMode,
    apiModeSource: target.apiModeSource,
    baseUrl: target.baseUrl,
    ...(extra.apiKey !== undefined && { apiKey: extra.apiKey }),
    identity: target.identity,
    endpointKey: endpointKey(target.identity),
    modelKey: modelKey(target.identity),
    scope: extra.scope,
    ...(extra.contextWindow !== undefined && { contextWindow: extra.contextWindow }),
  };
  const redacted = (): object => (entry.apiKey === undefined ? { ...entry } : { ...entry, apiKey: '***' });
  Object.defineProperty(entry, 'toJSON', { value: redacted, enumerable: false });
  Object.defineProperty(entry, inspect.custom, {
    value: (_depth: number, options: object) => inspect(redacted(), options),
    enumerable: false,
  });
  return Object.freeze(entry);
}
