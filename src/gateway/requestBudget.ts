/**
 * One admitted request's share of the budget: the body bytes it holds, released once when it ends.
 *
 * @example
 * ```ts
 * const admission = budget.admit();
 * if (admission && !admission.reserve(chunk.length)) refuse(503);
 * admission?.release();
 * ```
 */
export interface Admission {
  /** Holds `bytes` more of request body; false (nothing held) when that would pass the cap. */
  reserve(bytes: number): boolean;
  release(): void;
}

/**
 * What the gateway serves at once: requests in flight and the request-body bytes they hold, each
 * under a cap, so no number of clients can make it hold more (40 bodies of 8 MiB at once once
 * took 1.38 GB). A request over either cap is refused at once (503 with `retry-after`), never
 * queued. It also tells a drain when the last request has ended.
 *
 * @example
 * ```ts
 * const budget = new RequestBudget({ requests: 128, bytes: 64 * 1024 * 1024 });
 * const admission = budget.admit(); // undefined when 128 are in flight
 * ```
 */
export class RequestBudget {
  private requests = 0;
  private bytes = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly caps: { readonly requests: number; readonly bytes: number }) {}

  /** Requests admitted and not yet released. */
  get inFlight(): number {
    return this.requests;
  }

  /** Body bytes held by requests in flight. */
  get bytesInFlight(): number {
    return this.bytes;
  }

  admit(): Admission | undefined {
    if (this.requests >= this.caps.requests) return undefined;
    this.requests += 1;
    let held = 0;
    let released = false;
    return {
      reserve: (bytes) => {
        if (released || this.bytes + bytes > this.caps.bytes) return false;
        this.bytes += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        this.bytes -= held;
        this.requests -= 1;
        if (this.requests === 0) for (const wake of this.idle.splice(0)) wake();
      },
    };
  }

  /** Resolves when no request is in flight (at once if none is). */
  whenIdle(): Promise<void> {
    return this.requests === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
