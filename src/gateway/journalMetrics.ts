import type { JournalStatus } from '../journal/journalStatus.js';

/**
 * The journal's part of `GET /metrics`: failed writes, whether facts are waiting, how many, and how
 * many were given up. Nothing names the file (the endpoint answers without a token).
 *
 * @example
 * ```ts
 * journalMetricLines(registry.journalStatus()); // ['# HELP llm_gateway_journal_errors_total …', 'llm_gateway_journal_errors_total 0', …]
 * ```
 */
export function journalMetricLines(status: JournalStatus): string[] {
  return [
    '# HELP llm_gateway_journal_errors_total Journal writes that failed (first tries and retries); the facts wait in memory.',
    '# TYPE llm_gateway_journal_errors_total counter',
    `llm_gateway_journal_errors_total ${status.errors}`,
    '# HELP llm_gateway_journal_degraded 1 while facts cannot be written to the journal, else 0.',
    '# TYPE llm_gateway_journal_degraded gauge',
    `llm_gateway_journal_degraded ${status.ok ? 0 : 1}`,
    '# HELP llm_gateway_journal_pending_facts Facts waiting to be written to the journal.',
    '# TYPE llm_gateway_journal_pending_facts gauge',
    `llm_gateway_journal_pending_facts ${status.pending}`,
    '# HELP llm_gateway_journal_dropped_facts_total Facts given up because the journal backlog was full (the oldest first).',
    '# TYPE llm_gateway_journal_dropped_facts_total counter',
    `llm_gateway_journal_dropped_facts_total ${status.dropped}`,
  ];
}
