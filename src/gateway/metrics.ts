import type { HealthRegistry } from '../registry/healthRegistry.js';
import { journalMetricLines } from './journalMetrics.js';

/**
 * How a request ended, as the `outcome` label of `llm_gateway_requests_total` says: answered
 * (`ok`), an error status (`error`), a 200 stream that ended with an error event
 * (`stream_error`), or the client left before an answer started (`client_closed`, status 499).
 *
 * @example
 * ```ts
 * metrics.request('anthropic', 200, 1.2, 'model', 'stream_error');
 * ```
 */
export type RequestOutcome = 'ok' | 'error' | 'stream_error' | 'client_closed';

const STATES = ['healthy', 'suspect', 'recovering', 'cooldown', 'down'] as const;
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** Prometheus label values: backslash, quote and newline escaped. */
const label = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (pairs: Record<string, string>) => `{${Object.entries(pairs).map(([k, v]) => `${k}="${label(v)}"`).join(',')}}`;

/**
 * The gateway's counters and the registry's health, in the Prometheus text format
 * (`GET /metrics`): requests by protocol and status, request duration, answers served by a
 * fallback, failures by backend and kind, probes, and every backend's state as a gauge.
 *
 * @example
 * ```ts
 * const metrics = new GatewayMetrics(registry);
 * metrics.request('openai', 200, 0.42, 'fallback_providers[0]');
 * res.end(metrics.render());
 * ```
 */
export class GatewayMetrics {
  private readonly requests = new Map<string, number>();
  private readonly durations = new Map<string, { buckets: number[]; sum: number; count: number }>();
  private readonly servedBy = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly probes = new Map<string, number>();
  private readonly subscription;

  constructor(private readonly registry: HealthRegistry) {
    // Failures and probes as the journal sees them: every process sharing it counts the same facts.
    this.subscription = registry.events$.subscribe((fact) => {
      if (fact.type === 'call.failed') bump(this.failures, labels({ backend: fact.backend, kind: fact.failure.kind }));
      if (fact.type === 'probe.started') bump(this.probes, labels({ backend: fact.backend }));
    });
  }

  /**
   * One finished request: its protocol, the HTTP status on the wire (499: the client left before
   * an answer started), how it ended, how long it took, and which entry served it (if any). A
   * stream that ended with an in-band error event is status 200, outcome `stream_error`: that is
   * what the client saw.
   */
  request(protocol: string, status: number, seconds: number, servedBy?: string, outcome: RequestOutcome = status < 400 ? 'ok' : status === 499 ? 'client_closed' : 'error'): void {
    bump(this.requests, labels({ protocol, status: String(status), outcome }));
    const key = labels({ protocol });
    const d = this.durations.get(key) ?? { buckets: BUCKETS.map(() => 0), sum: 0, count: 0 };
    BUCKETS.forEach((le, i) => seconds <= le && (d.buckets[i]! += 1));
    d.sum += seconds;
    d.count += 1;
    this.durations.set(key, d);
    if (servedBy !== undefined) bump(this.servedBy, labels({ entry: servedBy, role: servedBy === 'model' ? 'primary' : 'fallback' }));
  }

  render(): string {
    const out: string[] = [];
    const counter = (name: string, help: string, values: Map<string, number>) => {
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const [l, v] of values) out.push(`${name}${l} ${v}`);
    };
    counter('llm_gateway_requests_total', 'Requests answered, by client protocol, HTTP status on the wire and outcome (stream_error: a 200 stream that ended with an error event).', this.requests);
    out.push('# HELP llm_gateway_request_duration_seconds Time from request to the last byte of the answer.', '# TYPE llm_gateway_request_duration_seconds histogram');
    for (const [l, d] of this.durations) {
      const inner = l.slice(1, -1);
      BUCKETS.forEach((le, i) => out.push(`llm_gateway_request_duration_seconds_bucket{${inner},le="${le}"} ${d.buckets[i]}`));
      out.push(`llm_gateway_request_duration_seconds_bucket{${inner},le="+Inf"} ${d.count}`, `llm_gateway_request_duration_seconds_sum${l} ${d.sum}`, `llm_gateway_request_duration_seconds_count${l} ${d.count}`);
    }
    counter('llm_gateway_served_total', 'Answers by the route entry that served them (primary or fallback).', this.servedBy);
    counter('llm_gateway_backend_failures_total', 'Failures recorded against a backend, by failure kind.', this.failures);
    counter('llm_gateway_probes_total', 'Probes claimed on a backend (half-open or early probes).', this.probes);
    out.push('# HELP llm_gateway_backend_state 1 for the state each backend is in, 0 for the others.', '# TYPE llm_gateway_backend_state gauge');
    const cooldowns: string[] = ['# HELP llm_gateway_backend_cooldown_seconds Seconds until a closed backend may be tried again.', '# TYPE llm_gateway_backend_cooldown_seconds gauge'];
    const now = this.registry.now();
    for (const view of this.registry.all(now)) {
      for (const state of STATES) out.push(`llm_gateway_backend_state${labels({ backend: view.key, state })} ${view.status === state ? 1 : 0}`);
      const left = view.routability.routable ? 0 : Math.max(0, view.routability.until - now) / 1000;
      cooldowns.push(`llm_gateway_backend_cooldown_seconds${labels({ backend: view.key })} ${left}`);
    }
    out.push(...cooldowns);
    out.push(...journalMetricLines(this.registry.journalStatus()));
    return `${out.join('\n')}\n`;
  }

  /** Drops a backend's series (its health was forgotten: a `pass_model` name evicted), so they stay bounded with it. */
  forgetBackend(key: string): void {
    for (const map of [this.failures, this.probes]) for (const series of map.keys()) if (series.startsWith(`{backend="${label(key)}"`)) map.delete(series);
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}
