import type { RouterNotice } from '../router/index.js';
import type { ReceivedRequest } from './demoBackends.js';
import type { DemoSummary, DemoTurnRow } from './demoTypes.js';

/** The demo's figures, counted from what the facade received and what the router announced. */
export function summarizeDemo(input: {
  variant: string;
  rows: readonly DemoTurnRow[];
  facadeLog: readonly ReceivedRequest[];
  notices: readonly (RouterNotice & { turn: number })[];
  t0: number;
  outageMs: number;
}): DemoSummary {
  const { rows, facadeLog, notices } = input;
  const userRequests = facadeLog.filter((r) => r.purpose !== 'probe');
  // Within a turn, everything the facade got after its first failure in that turn (in arrival order).
  const failedIn = new Set<number>();
  const afterFailure: ReceivedRequest[] = [];
  for (const r of userRequests) {
    if (failedIn.has(r.turn)) afterFailure.push(r);
    if (r.failed) failedIn.add(r.turn);
  }
  const firstTurn = (type: RouterNotice['type']) => notices.find((n) => n.type === type)?.turn ?? null;
  const titleNotices = (type: RouterNotice['type']) => notices.filter((n) => n.type === type && 'task' in n && n.task === 'title_generation').length;
  const outageS = input.outageMs / 1000;
  const dead = facadeLog.filter((r) => r.at < input.t0 + input.outageMs);
  const back = rows.find((r) => r.atSeconds >= outageS && 'servedBy' in r.main && r.main.servedBy === 'model');
  return {
    variant: input.variant,
    turns: rows.length,
    outageSeconds: outageS,
    sameTurnRequestsAfterFailure: afterFailure.length,
    sameTurnTitleRequestsAfterFailure: afterFailure.filter((r) => r.purpose === 'title').length,
    requestsDuringCooldown: userRequests.filter((r) => r.facadeStatus === 'cooldown' || r.facadeStatus === 'down').length,
    probes: facadeLog.length - userRequests.length,
    requestsToDeadFacade: dead.length,
    userRequestsToDeadFacade: dead.filter((r) => r.purpose !== 'probe').length,
    probesToDeadFacade: dead.filter((r) => r.purpose === 'probe').length,
    userVisibleFailures: rows.filter((r) => 'failed' in r.main).length,
    titleWarnings: titleNotices('auxiliary.failed'),
    titlesSkipped: titleNotices('auxiliary.skipped'),
    fallbackActivatedAtTurn: firstTurn('fallback.activated'),
    primaryRestoredAtTurn: firstTurn('primary.restored'),
    backOnPrimaryAfterSeconds: back ? back.atSeconds - outageS : null,
  };
}
