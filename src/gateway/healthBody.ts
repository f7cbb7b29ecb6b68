import type { JournalStatus } from '../journal/journalStatus.js';
import type { HealthRegistry } from '../registry/healthRegistry.js';
import { maskSecretsDeep } from '../security/maskSecrets.js';
import type { Transport } from '../transports/transport.js';

const SUCCESS_LOG_KEYS = 10_000;

/**
 * The last successful call per backend key, seen at the transport (the journal does not record
 * successes on a healthy backend, so it cannot say).
 *
 * @example
 * ```ts
 * const successes = new SuccessLog(() => Date.now());
 * const transport = successes.wrap(sdkTransport());
 * ```
 */
export class SuccessLog {
  private readonly last = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  wrap(inner: Transport): Transport {
    return {
      call: async (entry, request, options) => {
        const outcome = await inner.call(entry, request, options);
        if (outcome.ok) {
          const at = this.now();
          this.note(entry.endpointKey, at);
          this.note(entry.modelKey, at);
        }
        return outcome;
      },
    };
  }

  /** Most recent last; bounded, since a pass_model route meets a new model key with every new name asked for. */
  private note(key: string, at: number): void {
    this.last.delete(key);
    this.last.set(key, at);
    if (this.last.size > SUCCESS_LOG_KEYS) this.last.delete(this.last.keys().next().value!);
  }

  at(key: string): number | undefined {
    return this.last.get(key);
  }

  /** Drops a key whose health was forgotten (an evicted `pass_model` name), bounded with the registry. */
  forget(key: string): void {
    this.last.delete(key);
  }
}

/**
 * The journal as `/health` shows it: whether facts reach it, and if not since when, the error
 * code (`ENOSPC`, `EROFS` …) and how many facts wait or were dropped. Never the file's path nor
 * the error's text, which contains it: `/health` answers without a token.
 *
 * @example
 * ```ts
 * journalHealth(registry.journalStatus()); // { ok: false, degradedSince: 1700000000000, error: 'ENOSPC', pending: 3, dropped: 0, errors: 4 }
 * ```
 */
export interface JournalHealth {
  readonly ok: boolean;
  readonly degradedSince: number | null;
  readonly error: string | null;
  readonly pending: number;
  readonly dropped: number;
  readonly errors: number;
}

function journalHealth(status: JournalStatus): JournalHealth {
  const { ok, pending, dropped, errors } = status;
  return { ok, degradedSince: status.degradedSince ?? null, error: status.error?.code ?? null, pending, dropped, errors };
}

/**
 * `GET /health`: every backend's health view (state, routability with its deadline, level,
 * streak, last error) and its last success, at the registry's time — the shape
 * `llm-health-router status --from` reads — and whether the journal takes facts. Every string of
 * the views is masked (`maskSecretsDeep`): a last error loaded from a journal written before
 * messages were masked must not show a key here.
 *
 * @example
 * ```ts
 * healthBody(registry, successes); // { at, journal: { ok: true, … }, backends: [{ key, status, routability, lastFailure, lastSuccessAt, … }] }
 * ```
 */
export function healthBody(registry: HealthRegistry, successes: SuccessLog): { at: number; journal: JournalHealth; backends: unknown[] } {
  const { at, backends } = maskSecretsDeep(registry.snapshot());
  return { at, journal: journalHealth(registry.journalStatus()), backends: backends.map((view) => ({ ...view, lastSuccessAt: successes.at(view.key) ?? null })) };
}
