import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The CLI as built for this run (`<run dir>/src/cli/main.js`); see {@link setup}. */
    builtCli: string;
  }
}

/** Where each run builds the CLI: inside the checkout, so the built files resolve `node_modules` and `package.json` as `dist/` does. */
const BUILDS = '.test-dist';

/**
 * The CLI tests run the built bin as a user would; build it once per run, from the sources under
 * test, so they never run stale code (and two test files never build at the same time). Type
 * errors do not stop the build (tsc still emits; `npm run typecheck` is where they fail CI), so
 * a type error in one module does not hide every other test's result.
 *
 * Each run builds into its own directory (`.test-dist/<pid>-XXXXXX/`, removed when the run ends),
 * not into `dist/`: two runs from one checkout at once (a busy CI machine, a developer's watch
 * mode next to a full run) would otherwise rewrite the files the other run's CLI processes are
 * loading. Directories left by runs that were killed are removed by the next run.
 */
export default function setup(project: TestProject): () => void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const builds = join(root, BUILDS);
  mkdirSync(builds, { recursive: true });
  removeOrphans(builds);
  const outDir = mkdtempSync(join(builds, `${process.pid}-`));
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: root, encoding: 'utf8' });
  if (build.error) throw build.error;
  if (build.status === 2) console.warn(`tsc reported type errors while building the CLI for the tests:\n${build.stdout}`);
  else if (build.status !== 0) throw new Error(`building the CLI for the tests failed (tsc exit ${build.status}):\n${build.stdout}${build.stderr}`);
  project.provide('builtCli', join(outDir, 'src', 'cli', 'main.js'));
  return () => rmSync(outDir, { recursive: true, force: true });
}

/** Removes the build directories of runs whose process is gone (killed before their teardown ran). */
function removeOrphans(builds: string): void {
  for (const name of readdirSync(builds)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(join(builds, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
