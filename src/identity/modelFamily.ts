import { normalizeModelId } from './modelId.js';

/**
 * The family of a model name: the part that stays the same across dated snapshots and sizes of
 * one model line, part of a backend's identity for display and aliasing. Health is not keyed by
 * it but by the full model id (see `normalizeModelId`). Lower-cased; the vendor prefix before the
 * last `/` dropped; split on `-` and `:` (a `.` stays inside its token, so `gpt-4.1` keeps its
 * version); the first two non-empty tokens joined with `-`. One token is its own family; an empty model (or one that is only a
 * vendor prefix) has none (`undefined`).
 *
 * A `|` is rejected with an {@link IdentityError} on `model`: it separates the parts of a key, and
 * no provider names models with it.
 *
 * @example
 * ```ts
 * import { modelFamily } from 'llm-health-router';
 * modelFamily('anthropic/claude-sonnet-4-6');   // 'claude-sonnet'
 * modelFamily('qwen3:32b');                     // 'qwen3-32b'
 * modelFamily('gpt-4.1');                       // 'gpt-4.1'
 * modelFamily('claude-3-5-sonnet-20241022');    // 'claude-3'
 * modelFamily('');                              // undefined
 * ```
 */
export function modelFamily(model: string | null | undefined): string | undefined {
  const lowered = normalizeModelId(model);
  if (lowered === undefined) return undefined;
  const name = lowered.slice(lowered.lastIndexOf('/') + 1);
  const tokens = name
    .split(/[-:]/)
    .map((token) => token.trim())
    .filter((token) => token !== '');
  if (tokens.length === 0) return undefined;
  return tokens.slice(0, 2).join('-');
}
