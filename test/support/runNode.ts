import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root, for running its files as a user would. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What a finished subprocess left: its exit code and everything it printed. */
export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `node [--import tsx] file args…` from the repository root and waits for it, killing it if it
 * outlives `timeoutMs` (the test then fails on the exit code instead of hanging).
 */
export function runNode(file: string, args: readonly string[] = [], options: { tsx?: boolean; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  const nodeArgs = [...(options.tsx ? ['--import', 'tsx'] : []), file, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, nodeArgs, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
