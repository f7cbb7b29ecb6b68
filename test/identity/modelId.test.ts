import { describe, expect, it } from 'vitest';
import { IdentityError, modelFamily, normalizeModelId } from '../../src/identity/index.js';

describe('normalizeModelId', () => {
  it.each([
    // already normalized: unchanged
    ['claude-sonnet-4-6', 'claude-sonnet-4-6'],
    ['gpt-4.1', 'gpt-4.1'],
    ['qwen3:32b', 'qwen3:32b'],
    // lower-cased
    ['Claude-Sonnet-4-6', 'claude-sonnet-4-6'],
    ['GPT-4O-MINI', 'gpt-4o-mini'],
    // trimmed, including tabs, newlines and non-breaking spaces
    ['  gpt-4o  ', 'gpt-4o'],
    ['\tGpt-4O\n', 'gpt-4o'],
    ['\u00a0o3\u00a0', 'o3'],
    // inner whitespace is part of the name
    ['my model', 'my model'],
    // the vendor prefix is kept: on an aggregator each prefix is its own route
    ['anthropic/claude-sonnet-4', 'anthropic/claude-sonnet-4'],
    [' Anthropic/Claude-Sonnet-4 ', 'anthropic/claude-sonnet-4'],
    ['openai/gpt-4o', 'openai/gpt-4o'],
    ['openrouter/anthropic/claude-sonnet-4', 'openrouter/anthropic/claude-sonnet-4'],
    ['hf.co/unsloth/Qwen3-32B-GGUF:Q4_K_M', 'hf.co/unsloth/qwen3-32b-gguf:q4_k_m'],
    // nothing is collapsed to the family: these share one but are different models
    ['gpt-4o-mini', 'gpt-4o-mini'],
    ['claude-sonnet-4-typo', 'claude-sonnet-4-typo'],
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5-20250929'],
    // a bare vendor prefix is not empty, so it is an id (it has no family)
    ['anthropic/', 'anthropic/'],
  ])('%j → %j', (model, id) => {
    expect(normalizeModelId(model)).toBe(id);
    // normalizing is idempotent, which is what lets a model key be parsed back strictly
    expect(normalizeModelId(id)).toBe(id);
  });

  it.each([[''], ['   '], ['\t\n'], [undefined], [null]])('%j has no id', (model) => {
    expect(normalizeModelId(model)).toBeUndefined();
  });

  it('keeps gpt-4o and gpt-4o-mini apart although they share a family', () => {
    expect(modelFamily('gpt-4o')).toBe(modelFamily('gpt-4o-mini'));
    expect(normalizeModelId('gpt-4o')).not.toBe(normalizeModelId('gpt-4o-mini'));
  });

  it('keeps a mistyped model apart from the model it was meant to be', () => {
    expect(modelFamily('claude-sonnet-4-typo')).toBe(modelFamily('claude-sonnet-4-6'));
    expect(normalizeModelId('claude-sonnet-4-typo')).not.toBe(normalizeModelId('claude-sonnet-4-6'));
  });

  it.each([
    // `|` separates key parts; the value is reported as given, before trimming
    ['a|b', 'model "a|b" contains "|"; expected a model name like claude-sonnet-4-6', 'a|b'],
    ['|', 'model "|" contains "|"; expected a model name like claude-sonnet-4-6', '|'],
    [' GPT-4o|mini ', 'model " GPT-4o|mini " contains "|"; expected a model name like claude-sonnet-4-6', ' GPT-4o|mini '],
    // config is YAML: a number can end up where a name was expected
    [42, 'model "42" is not a string; expected a model name like claude-sonnet-4-6', '42'],
  ])('rejects %j, naming the field and the value', (model, message, value) => {
    let caught: unknown;
    try {
      normalizeModelId(model as string);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IdentityError);
    const error = caught as IdentityError;
    expect(error.field).toBe('model');
    expect(error.value).toBe(value);
    expect(error.message).toBe(message);
  });
});
