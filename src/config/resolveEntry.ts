import { buildEntry } from './buildEntry.js';
import { resolveCredentials } from './credentials.js';
import { dedupeKey } from './dedupeKey.js';
import type { EntryContext } from './entryContext.js';
import { fieldPath } from './fields.js';
import { defaultHealthScope } from './healthScope.js';
import { locateEntry } from './locateEntry.js';
import type { RawEntry } from './rawEntry.js';
import type { BackendEntry } from './routerConfig.js';
import { dropReason, type Unusable } from './unusable.js';

/**
 * Where an entry sits in the config: `label` is its path (`fallback_providers[0]`, `model` for the
 * primary), `prefix` the path its fields are under (`''` for the primary, whose fields are top-level).
 *
 * @internal
 * @example
 * ```ts
 * const primary: EntryPlace = { label: 'model', prefix: '' };
 * ```
 */
export interface EntryPlace {
  readonly label: string;
  readonly prefix: string;
}

/**
 * How to treat an entry beyond the common rules.
 *
 * @internal
 * @example
 * ```ts
 * const options: ResolveOptions = { required: true };
 * ```
 */
export interface ResolveOptions {
  /** The primary: an unusable entry is a config error, not a drop. */
  readonly required?: boolean;
  /** Delegation: the entry it inherits address, api mode and key from when its provider is the same. */
  readonly parent?: BackendEntry;
  /** `fallback_model`: dedupe key → label of the kept entries it must not repeat; it is added to when kept. */
  readonly dedupe?: Map<string, string>;
}

/**
 * Resolve one type-checked entry into a {@link BackendEntry}: locate it (identity, api mode), drop
 * it when it repeats an entry in `dedupe`, find its key, pick its health scope. Returns `undefined`
 * when it is dropped (recorded in `ctx.dropped`) or invalid (recorded in `ctx.issues`).
 *
 * Duplicates are checked before credentials: a repeat is a repeat, whatever its key says.
 *
 * @internal
 * @example
 * ```ts
 * resolveEntry({ anySet: true, provider: 'openai', model: 'gpt-4.1' }, { label: 'fallback_model', prefix: 'fallback_model' }, ctx);
 * ```
 */
export function resolveEntry(raw: RawEntry, place: EntryPlace, ctx: EntryContext, options: ResolveOptions = {}): BackendEntry | undefined {
  const located = locateEntry(raw, place.prefix, ctx.issues, options.parent);
  if (located.kind === 'invalid') return undefined;
  if (located.kind === 'unusable') return unusable(located.unusable, place, ctx, options);
  const { target } = located;

  const key = dedupeKey(target);
  const original = options.dedupe?.get(key);
  if (original !== undefined) {
    ctx.dropped.push({ path: place.label, reason: `duplicate of ${original}` });
    return undefined;
  }

  const inheritsKey = target.inherited && raw.apiKey === undefined && raw.keyEnv === undefined;
  const credentials = inheritsKey
    ? { ok: true as const, apiKey: options.parent?.apiKey }
    : resolveCredentials(raw, target.provider, target.baseUrl, ctx.env, (secret) => ctx.issues.secret(secret));
  if (!credentials.ok) return unusable(credentials.unusable, place, ctx, options);

  options.dedupe?.set(key, place.label);
  return buildEntry(target, {
    label: place.label,
    apiKey: credentials.apiKey,
    scope: raw.healthScope ?? defaultHealthScope(target.provider, ctx.healthScope),
    contextWindow: raw.contextWindow,
  });
}

function unusable(why: Unusable, place: EntryPlace, ctx: EntryContext, options: ResolveOptions): undefined {
  if (options.required) {
    ctx.issues.add(fieldPath(place.prefix, why.field), `${why.problem}; ${why.fix} (the primary cannot be dropped)`);
  } else {
    ctx.dropped.push({ path: place.label, reason: dropReason(why) });
  }
  return undefined;
}
