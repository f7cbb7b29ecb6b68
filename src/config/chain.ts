import { isRecord } from '../util/isRecord.js';
import { dedupeKey } from './dedupeKey.js';
import type { EntryContext } from './entryContext.js';
import { checkKnownKeys, ENTRY_FIELDS } from './fields.js';
import { readEntry } from './rawEntry.js';
import { resolveEntry, type ResolveOptions } from './resolveEntry.js';
import type { BackendEntry } from './routerConfig.js';
import { showValue } from './showValue.js';

const ENTRY_EXAMPLE = 'a mapping like { provider: openrouter, model: anthropic/claude-sonnet-4 }';

/**
 * Resolve an ordered `fallback_providers` list (top-level or under `delegation`). Every item is
 * labelled by its path (`fallback_providers[0]` …); the ones that cannot work are dropped, the
 * order of the rest is kept. Entries here are not deduplicated against each other: the list is the
 * user's source of truth, and an entry that aliases a failed backend is skipped at routing time.
 * `undefined` and `null` (a bare `fallback_providers:`) mean no list; `[]` means no fallback.
 *
 * @internal
 * @example
 * ```ts
 * resolveChain([{ provider: 'openrouter', model: 'm', api_key_env: 'OPENROUTER_API_KEY' }], 'fallback_providers', ctx)
 *   .map((e) => e.label); // ['fallback_providers[0]'] when OPENROUTER_API_KEY is set
 * ```
 */
export function resolveChain(value: unknown, path: string, ctx: EntryContext): BackendEntry[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.issues.add(path, `${showValue(value)} is not a list; write a list of entries (- provider: …  model: …), or [] for no fallback`);
    return [];
  }
  return value.flatMap((item, i) => resolveListed(item, `${path}[${i}]`, ctx) ?? []);
}

/**
 * Resolve the legacy `fallback_model` (one entry, or a list) into entries appended after
 * `fallback_providers`, deduplicated (Hermes rule) against the kept `fallback_providers` entries
 * and each other by `dedupeKey`. A single entry is labelled `fallback_model`, list items
 * `fallback_model[i]`; a duplicate is dropped with the reason `duplicate of <label>`.
 *
 * @internal
 * @example
 * ```ts
 * resolveFallbackModel({ provider: 'openai', model: 'gpt-4.1' }, chain, ctx).map((e) => e.label); // ['fallback_model']
 * ```
 */
export function resolveFallbackModel(value: unknown, chain: readonly BackendEntry[], ctx: EntryContext): BackendEntry[] {
  if (value === undefined || value === null) return [];
  const dedupe = new Map<string, string>();
  for (const entry of chain) {
    const key = dedupeKey(entry);
    if (!dedupe.has(key)) dedupe.set(key, entry.label);
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => resolveListed(item, `fallback_model[${i}]`, ctx, { dedupe }) ?? []);
  if (!isRecord(value)) {
    ctx.issues.add('fallback_model', `${showValue(value)} is not an entry; write ${ENTRY_EXAMPLE}, or a list of them`);
    return [];
  }
  const entry = resolveListed(value, 'fallback_model', ctx, { dedupe });
  return entry === undefined ? [] : [entry];
}

function resolveListed(item: unknown, label: string, ctx: EntryContext, options: ResolveOptions = {}): BackendEntry | undefined {
  if (!isRecord(item)) {
    ctx.issues.add(label, `${showValue(item)} is not an entry; write ${ENTRY_EXAMPLE}`);
    return undefined;
  }
  checkKnownKeys(item, ENTRY_FIELDS, label, ctx.issues);
  const before = ctx.issues.size;
  const raw = readEntry(item, label, ctx.issues);
  if (ctx.issues.size > before) return undefined;
  return resolveEntry(raw, { label, prefix: label }, ctx, options);
}
