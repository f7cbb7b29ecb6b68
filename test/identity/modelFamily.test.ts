import { describe, expect, it } from 'vitest';
import { IdentityError, modelFamily } from '../../src/identity/index.js';

describe('modelFamily', () => {
  it.each([
    // the design's examples
    ['anthropic/claude-sonnet-4-6', 'claude-sonnet'],
    ['qwen3:32b', 'qwen3-32b'],
    ['gpt-4.1', 'gpt-4.1'],
    ['claude-3-5-sonnet-20241022', 'claude-3'],
    // snapshots and sizes of one line share a family
    ['claude-sonnet-4-5-20250929', 'claude-sonnet'],
    ['claude-sonnet-4', 'claude-sonnet'],
    ['anthropic/claude-haiku-4', 'claude-haiku'],
    ['gpt-4o-mini', 'gpt-4o'],
    ['qwen3:8b', 'qwen3-8b'],
    // lower-cased, trimmed
    ['Claude-Sonnet-4-6', 'claude-sonnet'],
    ['  GPT-4.1  ', 'gpt-4.1'],
    // vendor prefix: everything up to the LAST slash goes
    ['openrouter/anthropic/claude-sonnet-4', 'claude-sonnet'],
    ['meta-llama/llama-3.1-70b-instruct', 'llama-3.1'],
    ['deepseek/deepseek-chat-v3.1:free', 'deepseek-chat'],
    ['hf.co/unsloth/Qwen3-32B-GGUF:Q4_K_M', 'qwen3-32b'],
    // `-` and `:` both split; `.` does not
    ['llama3.1:70b-instruct', 'llama3.1-70b'],
    ['mistral:latest', 'mistral-latest'],
    ['a:b-c', 'a-b'],
    // one token is its own family
    ['o3', 'o3'],
    ['local', 'local'],
    ['gemini-2.5-pro', 'gemini-2.5'],
    // empty tokens are ignored
    ['claude--sonnet-4', 'claude-sonnet'],
    ['-claude-', 'claude'],
    ['::x', 'x'],
  ])('%j → %j', (model, family) => {
    expect(modelFamily(model)).toBe(family);
    // a family is its own family
    expect(modelFamily(family)).toBe(family);
  });

  it.each([[''], ['   '], ['anthropic/'], ['-'], [':'], [undefined], [null]])('%j has no family', (model) => {
    expect(modelFamily(model)).toBeUndefined();
  });

  it('rejects "|", which separates key parts', () => {
    expect(() => modelFamily('a|b')).toThrow(IdentityError);
    expect(() => modelFamily('a|b')).toThrow('model "a|b" contains "|"');
  });
});
