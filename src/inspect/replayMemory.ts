/**
 * What the local inspector page is shown when it connects late: health actors are registered
 * when the router first hears of a backend, usually long before anyone opens the page, so a
 * plain "last N messages" buffer would lose them. Kept: every live actor's registration and
 * latest snapshot, the registrations of the last `maxFinished` finished actors (routed calls end
 * quickly; without a bound a gateway would keep them all), and the last `maxRecent` events and
 * snapshots in order.
 *
 * @internal
 * @example
 * ```ts
 * const memory = new ReplayMemory();
 * memory.remember('{"type":"@xstate.actor","sessionId":"x:0"}');
 * for (const message of memory.replay()) client.send(message);
 * ```
 */
export class ReplayMemory {
  private seq = 0;
  private readonly actors = new Map<string, string>();
  private readonly latest = new Map<string, { readonly seq: number; readonly message: string }>();
  private readonly finished: string[] = [];
  private readonly recent: { readonly seq: number; readonly message: string }[] = [];

  constructor(
    private readonly limits: { readonly maxRecent: number; readonly maxFinished: number } = { maxRecent: 500, maxFinished: 50 },
  ) {}

  remember(message: string): void {
    const parsed = parse(message);
    if (!parsed) return;
    const seq = ++this.seq;
    if (parsed.type === '@xstate.actor') {
      this.actors.set(parsed.sessionId, message);
      return;
    }
    this.recent.push({ seq, message });
    if (this.recent.length > this.limits.maxRecent) this.recent.shift();
    if (parsed.type !== '@xstate.snapshot') return;
    this.latest.set(parsed.sessionId, { seq, message });
    if (parsed.status !== undefined && parsed.status !== 'active' && !this.finished.includes(parsed.sessionId)) {
      this.finished.push(parsed.sessionId);
      if (this.finished.length > this.limits.maxFinished) this.forget(this.finished.shift()!);
    }
  }

  /** Registrations first, then latest snapshots older than the recent window, then the recent window. */
  replay(): string[] {
    const oldestRecent = this.recent[0]?.seq ?? Infinity;
    const older = [...this.latest.values()].filter((s) => s.seq < oldestRecent).sort((a, b) => a.seq - b.seq);
    return [...this.actors.values(), ...older.map((s) => s.message), ...this.recent.map((r) => r.message)];
  }

  private forget(sessionId: string): void {
    this.actors.delete(sessionId);
    this.latest.delete(sessionId);
  }
}

function parse(message: string): { type: string; sessionId: string; status?: string } | undefined {
  try {
    const value = JSON.parse(message) as { type?: unknown; sessionId?: unknown; snapshot?: { status?: unknown } };
    if (typeof value.type !== 'string' || typeof value.sessionId !== 'string') return undefined;
    const status = value.snapshot?.status;
    return { type: value.type, sessionId: value.sessionId, ...(typeof status === 'string' ? { status } : {}) };
  } catch {
    return undefined;
  }
}
