import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// The CLI tests run the built bin as a user would; build it once per run, from the sources under
// test, so they never run stale code (and two test files never build at the same time).
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
