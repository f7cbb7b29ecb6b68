import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI tests run the built bin as a user would; build it once per run, from the sources under
// test, so they never run stale code (and two test files never build at the same time). Type
// errors do not stop the build (tsc still emits; `npm run typecheck` is where they fail CI), so
// a type error in one module does not hide every other test's result.
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (build.error) throw build.error;
  if (build.status === 2) console.warn(`tsc reported type errors while building dist/ for the CLI tests:\n${build.stdout}`);
  else if (build.status !== 0) throw new Error(`building dist/ failed (tsc exit ${build.status}):\n${build.stdout}${build.stderr}`);
}
