import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * Writer ids of the registries open in this process. A writer id names its process
 * (`<random>-<pid>@<host>`), so a process starting on a shared journal can tell a claim made by a
 * process that is gone from one made by a process that still runs — on this host; and, for its
 * own pid, from a registry of its own that is still open.
 */
const openHere = new Set<string>();

/**
 * A new writer id: 8 random hex digits, then the pid and host of this process.
 *
 * @example
 * ```ts
 * newWriterId(); // '9f3ac01b-48213@build-box'
 * ```
 */
export function newWriterId(): string {
  return `${randomBytes(4).toString('hex')}-${process.pid}@${hostname()}`;
}

/** Notes a writer id as open (a registry is using it) or closed. */
export function markWriterOpen(writer: string, open: boolean): void {
  if (open) openHere.add(writer);
  else openHere.delete(writer);
}

/**
 * Whether the process (or, for this process, the registry) that wrote as `writer` is certainly
 * gone: same host, and its pid runs no process (or is this process, whose registry of that id is
 * closed). Anything it cannot be sure of — another host, an id without a pid (older journals), a
 * pid that runs (perhaps reused) or that it may not signal — counts as alive, which keeps the old
 * behaviour: the claim holds until its probe timeout.
 *
 * @example
 * ```ts
 * writerIsGone('9f3ac01b-48213@build-box'); // true once process 48213 on build-box has exited
 * ```
 */
export function writerIsGone(writer: string): boolean {
  const parsed = /^[0-9a-f]+-(\d+)@(.+)$/.exec(writer);
  if (!parsed || parsed[2] !== hostname()) return false;
  const pid = Number(parsed[1]);
  if (pid === process.pid) return !openHere.has(writer);
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
