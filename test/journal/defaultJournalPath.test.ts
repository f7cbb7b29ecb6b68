import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultJournalPath } from '../../src/journal/defaultJournalPath.js';

describe('defaultJournalPath', () => {
  it('prefers $LLM_HEALTH_ROUTER_JOURNAL', () => {
    expect(defaultJournalPath({ LLM_HEALTH_ROUTER_JOURNAL: '/srv/agent/health.jsonl', XDG_STATE_HOME: '/state' })).toBe('/srv/agent/health.jsonl');
  });
  it('then $XDG_STATE_HOME', () => {
    expect(defaultJournalPath({ XDG_STATE_HOME: '/state' })).toBe(join('/state', 'llm-health-router', 'journal.jsonl'));
  });
  it('then ~/.local/state; empty or relative values count as unset (XDG base directory spec)', () => {
    const home = join(homedir(), '.local', 'state', 'llm-health-router', 'journal.jsonl');
    expect(defaultJournalPath({})).toBe(home);
    expect(defaultJournalPath({ LLM_HEALTH_ROUTER_JOURNAL: '', XDG_STATE_HOME: '' })).toBe(home);
    expect(defaultJournalPath({ XDG_STATE_HOME: 'relative/state' })).toBe(home);
  });
  it('reads process.env by default', () => {
    expect(defaultJournalPath()).toBe(defaultJournalPath(process.env));
  });
});
