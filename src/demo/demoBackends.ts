import type { Clock } from '../clock/clock.js';
import { FakeBackend, faults, type FakeRequest } from '../testing/index.js';

/** What a demo request was for, read from the marker the demo puts in its prompts; the router's own probes ask for one token. */
export type DemoPurpose = 'main' | 'title' | 'auxiliary' | 'delegate' | 'probe';

/** A request a demo backend received, on the simulated clock. */
export interface ReceivedRequest {
  readonly at: number;
  readonly purpose: DemoPurpose;
  /** The turn the demo was in when it arrived (1-based; 0 before the first). */
  readonly turn: number;
  /** Whether the backend answered it with a failure. */
  readonly failed: boolean;
  /** The facade's health status when the request arrived. */
  readonly facadeStatus: string;
}

const PURPOSES: readonly DemoPurpose[] = ['main', 'title', 'auxiliary', 'delegate'];

/** The marker the demo writes into a prompt so the backends can say what each request was for. */
export const demoPrompt = (purpose: Exclude<DemoPurpose, 'probe'>, turn: number, text: string): string => `[${purpose} ${turn}] ${text}`;

function purposeOf(request: FakeRequest): DemoPurpose {
  const body = JSON.stringify(request.body);
  return PURPOSES.find((p) => body.includes(`[${p} `)) ?? 'probe';
}

/**
 * The demo's two local backends: an Anthropic-compatible facade that answers HTTP 500 "Claude
 * Code process exited with code 1" until `outageEnd` (simulated time), then recovers, and an
 * OpenAI-compatible fallback that always answers. Every request is logged with its simulated time.
 */
export async function startDemoBackends(clock: Clock, outageEnd: number, state: { turn: () => number; facadeStatus: () => string }) {
  const facadeLog: ReceivedRequest[] = [];
  const fallbackLog: ReceivedRequest[] = [];
  const note = (log: ReceivedRequest[], request: FakeRequest, failed: boolean) =>
    log.push({ at: clock.now(), purpose: purposeOf(request), turn: state.turn(), failed, facadeStatus: state.facadeStatus() });
  const facade = new FakeBackend({
    fallback: (request) => {
      const down = clock.now() < outageEnd;
      note(facadeLog, request, down);
      return down ? faults.crash() : faults.ok('Hello from the Claude Code facade.');
    },
  });
  const fallback = new FakeBackend({
    fallback: (request) => {
      note(fallbackLog, request, false);
      return faults.ok('Hello from the local fallback model.');
    },
  });
  const [facadeServer, fallbackServer] = await Promise.all([facade.start(), fallback.start()]);
  return {
    facadeUrl: facadeServer.url,
    fallbackUrl: fallbackServer.url,
    facadeLog,
    fallbackLog,
    async close() {
      await Promise.all([facadeServer.close(), fallbackServer.close()]);
    },
  };
}
