import type { ClassifyOptions } from './options.js';
import { DEFAULT_CLASSIFY_OPTIONS } from './options.js';

/**
 * Response headers as either a fetch `Headers` (what both SDKs put on `error.headers`) or a
 * plain record (what `node:http` gives, or a journaled copy).
 *
 * @example
 * ```ts
 * const a: HeaderSource = new Headers({ 'retry-after': '7' });
 * const b: HeaderSource = { 'retry-after': '7' };
 * ```
 */
export type HeaderSource =
  | { get(name: string): string | null; forEach(callback: (value: string, name: string) => void): void }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * Parses a Go `time.Duration` string (`6m0s`, `1.5s`, `12ms`, `1h2m3s`, `250us`) into
 * milliseconds. OpenAI's `x-ratelimit-reset-*` headers use this format. Returns `undefined`
 * for anything else, including a bare number other than `0` (Go requires a unit).
 *
 * @example
 * ```ts
 * parseGoDuration('6m0s'); // 360000
 * parseGoDuration('1.5s'); // 1500
 * parseGoDuration('soon'); // undefined
 * ```
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (!/^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) {
    const amount = Number(match[1]);
    const unit = match[2] ?? 's';
    total += amount * (UNIT_MS[unit] ?? Number.NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Parses an HTTP `Retry-After` value: delay seconds (`"7"`, `"1.5"`) or an HTTP date, which is
 * turned into a delay against `now`. A date in the past gives a delay of 0. Unclamped.
 *
 * @example
 * ```ts
 * parseRetryAfter('7', Date.now()); // 7000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60000
 * ```
 */
export function parseRetryAfter(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
  return untilDate(trimmed, now);
}

/**
 * Parses an OpenAI-style reset value: a Go duration (`6m0s`) or, as some compatible servers
 * send, bare seconds (`"20"`, `"0.5"`). Unclamped.
 *
 * @example
 * ```ts
 * parseResetDuration('1h2m3s'); // 3723000
 * parseResetDuration('20'); // 20000
 * ```
 */
export function parseResetDuration(value: string): number | undefined {
  const trimmed = value.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1_000;
  return parseGoDuration(trimmed);
}

/**
 * Reads how long the provider asked us to wait from response headers, clamped into
 * `options.hintBounds`, or `undefined` when no header gives a usable value.
 *
 * Precedence (the first usable one wins):
 * 1. `retry-after-ms` (milliseconds; the SDKs' own extension, the most precise),
 * 2. `retry-after` (seconds or HTTP date; the standard, and what Anthropic sends on a 429),
 * 3. `anthropic-ratelimit-<limit>-reset` (RFC 3339 instants),
 * 4. `x-ratelimit-reset-<limit>` (Go durations, OpenAI),
 * 5. `x-ratelimit-reset` (OpenRouter: epoch milliseconds; or epoch seconds; or delay seconds).
 *
 * For the per-limit families the limit that was hit decides: the limits whose matching
 * `…-remaining` header is `0` are the exhausted ones, and the call can only succeed once all of
 * them have refilled, so the latest of their resets is taken. When no limit reports `0`
 * remaining (or no `…-remaining` headers came), the hit limit cannot be told apart and the latest
 * reset of all is taken: waiting too long costs a few calls on a fallback, waiting too little
 * costs another 429 and an escalated cooldown.
 *
 * @example
 * ```ts
 * cooldownHintFromHeaders(new Headers({ 'x-ratelimit-reset-requests': '6m0s' })); // 360000
 * cooldownHintFromHeaders(new Headers({ 'retry-after': '0' })); // 1000 (clamped to minMs)
 * ```
 */
export function cooldownHintFromHeaders(
  headers: HeaderSource | undefined,
  options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS,
): number | undefined {
  if (!headers) return undefined;
  const raw = rawHint(headerMap(headers), (options.now ?? Date.now)());
  if (raw === undefined) return undefined;
  return clampHint(raw, options);
}

/**
 * Clamps a delay into `options.hintBounds` (ms), rounding to a whole millisecond.
 *
 * @example
 * ```ts
 * clampHint(10, { crashSignatures: [], hintBounds: { minMs: 1000, maxMs: 60000 } }); // 1000
 * ```
 */
export function clampHint(ms: number, options: ClassifyOptions = DEFAULT_CLASSIFY_OPTIONS): number {
  const { minMs, maxMs } = options.hintBounds;
  return Math.round(Math.min(maxMs, Math.max(minMs, ms)));
}

function rawHint(headers: ReadonlyMap<string, string>, now: number): number | undefined {
  const retryAfterMs = headers.get('retry-after-ms');
  if (retryAfterMs !== undefined && /^\s*\d+(?:\.\d+)?\s*$/.test(retryAfterMs)) return Number(retryAfterMs);
  const retryAfter = headers.get('retry-after');
  const fromRetryAfter = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const anthropic = latestHitReset(headers, /^anthropic-ratelimit-(.+)-reset$/, (limit) => `anthropic-ratelimit-${limit}-remaining`, (value) => untilDate(value, now));
  if (anthropic !== undefined) return anthropic;
  const openai = latestHitReset(headers, /^x-ratelimit-reset-(.+)$/, (limit) => `x-ratelimit-remaining-${limit}`, parseResetDuration);
  if (openai !== undefined) return openai;
  const bare = headers.get('x-ratelimit-reset');
  return bare === undefined ? undefined : parseBareReset(bare, now);
}

function latestHitReset(
  headers: ReadonlyMap<string, string>,
  pattern: RegExp,
  remainingHeader: (limit: string) => string,
  parse: (value: string) => number | undefined,
): number | undefined {
  const resets: { delay: number; exhausted: boolean }[] = [];
  for (const [name, value] of headers) {
    const limit = pattern.exec(name)?.[1];
    if (limit === undefined) continue;
    const delay = parse(value);
    if (delay === undefined) continue;
    const remaining = headers.get(remainingHeader(limit));
    resets.push({ delay, exhausted: remaining !== undefined && Number(remaining) <= 0 });
  }
  if (resets.length === 0) return undefined;
  const exhausted = resets.filter((reset) => reset.exhausted);
  const candidates = exhausted.length > 0 ? exhausted : resets;
  return Math.max(...candidates.map((reset) => reset.delay));
}

function parseBareReset(value: string, now: number): number | undefined {
  const trimmed = value.trim();
  if (!/^\d+(?:\.\d+)?$/.test(trimmed)) return untilDate(trimmed, now);
  const number = Number(trimmed);
  // Magnitude tells the unit: 1e12 ms is 2001, 1e9 s is 2001; nobody asks to wait 30 years.
  if (number >= 1e12) return Math.max(0, number - now);
  if (number >= 1e9) return Math.max(0, number * 1_000 - now);
  return number * 1_000;
}

function untilDate(value: string, now: number): number | undefined {
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function headerMap(headers: HeaderSource): ReadonlyMap<string, string> {
  const map = new Map<string, string>();
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    (headers as { forEach(callback: (value: string, name: string) => void): void }).forEach((value, name) => {
      map.set(name.toLowerCase(), value);
    });
    return map;
  }
  for (const [name, value] of Object.entries(headers as Readonly<Record<string, unknown>>)) {
    if (typeof value === 'string') map.set(name.toLowerCase(), value);
    else if (Array.isArray(value) && typeof value[0] === 'string') map.set(name.toLowerCase(), value[0]);
  }
  return map;
}
