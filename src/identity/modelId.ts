import { describeValue, IdentityError, quote } from './errors.js';

/**
 * The model as health tracks it: trimmed and lower-cased, vendor prefix kept (on an aggregator
 * `openai/gpt-4o` and `azure/gpt-4o` are different routes). Model-level health is keyed by this
 * id, not by the family: `gpt-4o` and `gpt-4o-mini` share a family but not their capacity, and a
 * mistyped `claude-sonnet-4-typo` that 404s must not take `claude-sonnet-4-6` down with it.
 * An empty model has no id (`undefined`); a `|` is rejected with an {@link IdentityError} on
 * `model`, because it separates the parts of a key.
 *
 * @example
 * ```ts
 * import { normalizeModelId } from 'llm-health-router';
 * normalizeModelId(' Anthropic/Claude-Sonnet-4 '); // 'anthropic/claude-sonnet-4'
 * normalizeModelId('');                          // undefined
 * ```
 */
export function normalizeModelId(model: string | null | undefined): string | undefined {
  if (model === undefined || model === null) return undefined;
  if (typeof model !== 'string') {
    const shown = describeValue(model);
    throw new IdentityError('model', shown, `model ${quote(shown)} is not a string; expected a model name like claude-sonnet-4-6`);
  }
  if (model.includes('|')) {
    throw new IdentityError('model', model, `model ${quote(model)} contains "|"; expected a model name like claude-sonnet-4-6`);
  }
  const id = model.trim().toLowerCase();
  return id === '' ? undefined : id;
}
