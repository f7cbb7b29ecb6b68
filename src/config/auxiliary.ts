import { isRecord } from '../util/isRecord.js';
import type { EntryContext } from './entryContext.js';
import { checkKnownKeys, ENTRY_FIELDS, fieldPath } from './fields.js';
import { readEntry } from './rawEntry.js';
import { resolveEntry } from './resolveEntry.js';
import type { AuxiliaryRoute } from './routerConfig.js';
import { HIDDEN, showValue } from './showValue.js';

/**
 * Resolve `auxiliary.<task>`: `{ provider: auto }` follows the turn's effective runtime
 * (`{ mode: 'auto' }`); anything else is an entry pinned to that task (`{ mode: 'explicit' }`,
 * labelled `auxiliary.<task>`, its `api_mode` honoured like everywhere). With `auto`, no other
 * field may be set (blank ones are fine): a model or address next to `auto` would be silently
 * ignored. A pinned entry that cannot work is dropped and its task is left out of the result,
 * so it follows `auto`, like every task the config does not name.
 *
 * @internal
 * @example
 * ```ts
 * resolveAuxiliary({ title_generation: { provider: 'auto' } }, ctx); // { title_generation: { mode: 'auto' } }
 * ```
 */
export function resolveAuxiliary(value: unknown, ctx: EntryContext): Record<string, AuxiliaryRoute> {
  const routes: Record<string, AuxiliaryRoute> = {};
  if (value === undefined || value === null) return routes;
  if (!isRecord(value)) {
    ctx.issues.add('auxiliary', `${showValue(value)} is not a mapping of tasks; write e.g. auxiliary: { title_generation: { provider: auto } }`);
    return routes;
  }
  for (const [task, item] of Object.entries(value)) {
    const label = fieldPath('auxiliary', task);
    if (!isRecord(item)) {
      ctx.issues.add(label, `${showValue(item)} is not a task route; write { provider: auto } or an entry like { provider: custom, base_url: …, model: … }`);
      continue;
    }
    checkKnownKeys(item, ENTRY_FIELDS, label, ctx.issues);
    const before = ctx.issues.size;
    const raw = readEntry(item, label, ctx.issues);
    if (ctx.issues.size > before) continue;
    if (raw.provider?.toLowerCase() === 'auto') {
      const extra = ENTRY_FIELDS.filter((field) => field !== 'provider' && isSet(item[field]));
      for (const field of extra) {
        const shown = field === 'api_key' || field === 'api_key_env' || field === 'key_env' ? HIDDEN : showValue(item[field]);
        ctx.issues.add(
          fieldPath(label, field),
          `${shown} cannot be combined with provider: auto (auto follows the turn's runtime); remove it, or name a provider to pin this task`,
        );
      }
      if (extra.length === 0) routes[task] = Object.freeze({ mode: 'auto' as const });
      continue;
    }
    const entry = resolveEntry(raw, { label, prefix: label }, ctx);
    if (entry !== undefined) routes[task] = Object.freeze({ mode: 'explicit' as const, entry });
  }
  return routes;
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}
