import { describeValue, IdentityError, quote } from './errors.js';

/**
 * The family of a model name: the part that stays the same across dated snapshots and sizes of
 * one model line, so health learned about `claude-sonnet-4-5` applies to `claude-sonnet-4-6` on
 * the same endpoint. Lower-cased; the vendor prefix before the last `/` dropped; split on `-` and
 * `:` (a `.` stays inside its token, so `gpt-4.1` keeps its version); the first two non-empty
 * tokens joined with `-`. One token is its own family; an empty model (or one that is only a
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
  if (model === undefined || model === null) return undefined;
  if (typeof model !== 'string') {
    const shown = describeValue(model);
    throw new IdentityError('model', shown, `model ${quote(shown)} is not a string; expected a model name like claude-sonnet-4-6`);
  }
  if (model.includes('|')) {
    throw new IdentityError('model', model, `model ${quote(model)} contains "|"; expected a model name like claude-sonnet-4-6`);
  }
  const lowered = model.trim().toLowerCase();
  const name = lowered.slice(lowered.lastIndexOf('/') + 1);
  const tokens = name
    .split(/[-:]/)
    .map((token) => token.trim())
    .filter((token) => token !== '');
  if (tokens.length === 0) return undefined;
  return tokens.slice(0, 2).join('-');
}
