import { join } from 'node:path';
import { fileJournal } from '../journal/fileJournal.js';
import type { HealthPolicy } from '../policy/healthPolicy.js';
import { healthHistory } from '../history/healthHistory.js';
import { renderHealthReport } from '../report/index.js';
import { writeOwnerOnly } from '../security/writeOwnerOnly.js';

/** Renders the demo's journal as the HTML health report, with the demo's turns on the time axis. */
export async function writeDemoReport(outDir: string, journalPath: string, policy: HealthPolicy, turns: readonly { id: string; at: number; label: string }[], end: number): Promise<string> {
  const { facts } = await fileJournal(journalPath).load({ ignoreSnapshot: true });
  const history = await healthHistory(facts, { policy, until: end });
  const reportPath = join(outDir, 'report.html');
  await writeOwnerOnly(reportPath, renderHealthReport({ history, turns, title: 'llm-health-router demo' }));
  return reportPath;
}
