import { isRecord } from '../util/isRecord.js';
import { resolveChain } from './chain.js';
import type { EntryContext } from './entryContext.js';
import { checkKnownKeys, DELEGATION_FIELDS } from './fields.js';
import { readEntry } from './rawEntry.js';
import { resolveEntry } from './resolveEntry.js';
import type { BackendEntry, RouterConfig } from './routerConfig.js';
import { showValue } from './showValue.js';

/**
 * Resolve `delegation` (sub-agents):
 * - absent or `null` → `undefined`: the child inherits the parent's effective runtime and chain;
 * - entry fields → `entry`, labelled `delegation`, pinning the child's runtime. When it names the
 *   primary's provider and no `base_url`, it inherits the primary's address, its key (unless it
 *   names one) and its api mode (unless it sets `api_mode`, which wins as everywhere) — Hermes: a
 *   child inherits `api_mode` only when its provider equals the parent's. Otherwise it is resolved
 *   on its own. An entry that cannot work is dropped (the child then inherits, as if absent);
 * - `fallback_providers` → `fallbacks`, the child's own chain (`delegation.fallback_providers[i]`);
 *   `[]` means the child has no fallback. Without it, the router decides (the parent's chain
 *   unless the child is pinned).
 *
 * @internal
 * @example
 * ```ts
 * resolveDelegation({ provider: 'anthropic', model: 'claude-haiku-4-5' }, primary, ctx)?.entry?.baseUrl;
 * // the primary's base URL when the primary is provider anthropic too
 * ```
 */
export function resolveDelegation(value: unknown, primary: BackendEntry | undefined, ctx: EntryContext): RouterConfig['delegation'] {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) {
    ctx.issues.add('delegation', `${showValue(value)} is not a mapping; write e.g. delegation: { provider: openrouter, model: anthropic/claude-haiku-4 }`);
    return undefined;
  }
  checkKnownKeys(value, DELEGATION_FIELDS, 'delegation', ctx.issues);
  const before = ctx.issues.size;
  const raw = readEntry(value, 'delegation', ctx.issues);
  let entry: BackendEntry | undefined;
  if (raw.anySet && ctx.issues.size === before) {
    entry = resolveEntry(raw, { label: 'delegation', prefix: 'delegation' }, ctx, primary === undefined ? {} : { parent: primary });
  }
  const chain = value['fallback_providers'];
  const hasChain = chain !== undefined && chain !== null;
  const fallbacks = hasChain ? Object.freeze(resolveChain(chain, 'delegation.fallback_providers', ctx)) : undefined;
  return Object.freeze({ ...(entry !== undefined && { entry }), ...(fallbacks !== undefined && { fallbacks }) });
}
