import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterEach } from 'vitest';
import { ROOT } from './runNode.js';

/**
 * A real short write needs a real limit. `RLIMIT_FSIZE` is one every Linux user may set on their
 * own processes: a `write` that would grow a file past it writes what fits and returns the count
 * (a short write), and every later one fails with `EFBIG` (Node ignores `SIGXFSZ`) — the same
 * shape as a disk that fills up. Raising the limit from outside (`prlimit --pid`) is "space
 * returns". So the writer runs in a child process (the limit must not touch the test runner).
 *
 * `prlimit` is util-linux; a machine without it cannot run these tests, and says so.
 */
export const PRLIMIT_MISSING: string | undefined =
  process.platform !== 'linux'
    ? `RLIMIT_FSIZE short writes are tested on Linux only (this is ${process.platform})`
    : spawnSync('prlimit', ['--version']).status === 0
      ? undefined
      : 'prlimit (util-linux) is not installed: it sets and raises the file size limit that makes the writes short';

/** A fixture driven by one JSON command per stdin line, answering one JSON line per command. */
export interface LimitedChild {
  readonly pid: number;
  send<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T>;
  /** Sets the child's file size limit (bytes, or `'unlimited'`): the disk "fills" or "gets space back". */
  setFileSizeLimit(bytes: number | 'unlimited'): void;
  readonly exited: Promise<{ readonly code: number | null; readonly stderr: string }>;
}

/** Starts `fixture` (TypeScript, run with tsx) with a file size limit of `bytes` (lower it later with `setFileSizeLimit`); every child still running after a test is killed. */
export function useLimitedChildren(): (fixture: string, config: unknown, bytes: number | 'unlimited') => LimitedChild {
  const live = new Set<{ process: ChildProcessWithoutNullStreams; exited: Promise<unknown> }>();
  afterEach(async () => {
    for (const child of live) if (child.process.exitCode === null && child.process.signalCode === null) child.process.kill('SIGKILL');
    await Promise.all([...live].map((child) => child.exited));
    live.clear();
  });
  return (fixture, config, bytes) => {
    // prlimit sets the limit and execs node in place: the pid is node's.
    const child = spawn('prlimit', [`--fsize=${bytes}:unlimited`, '--', process.execPath, '--import', 'tsx', fixture, JSON.stringify(config)], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    let partial = '';
    const replies: ((line: string) => void)[] = [];
    const failures: ((error: Error) => void)[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (partial + chunk).split('\n');
      partial = parts.pop()!;
      for (const line of parts) {
        failures.shift();
        replies.shift()?.(line);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      child.on('close', (code) => {
        for (const fail of failures.splice(0)) fail(new Error(`fixture ended (${code}) before answering: ${stderr}`));
        replies.length = 0;
        resolve({ code, stderr });
      });
    });
    live.add({ process: child, exited });
    return {
      pid: child.pid!,
      exited,
      send: <T>(command: Record<string, unknown>) =>
        new Promise<T>((resolve, reject) => {
          replies.push((line) => resolve(JSON.parse(line) as T));
          failures.push(reject);
          child.stdin.write(`${JSON.stringify(command)}\n`);
        }),
      setFileSizeLimit: (limit) => {
        const result = spawnSync('prlimit', ['--pid', String(child.pid), `--fsize=${limit}:unlimited`]);
        if (result.status !== 0) throw new Error(`prlimit --pid ${child.pid} failed: ${result.stderr.toString()}`);
      },
    };
  };
}
