import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Examples import the package by name, as a user would; inside the repo that name means the sources.
  resolve: {
    alias: [
      { find: /^llm-health-router\/testing$/, replacement: fileURLToPath(new URL('./src/testing/index.ts', import.meta.url)) },
      { find: /^llm-health-router$/, replacement: fileURLToPath(new URL('./src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // No results cache (node_modules/.vite/vitest/…/results.json, which only orders the files):
    // two runs at once from one checkout — or from worktrees sharing node_modules — would write it
    // while the other reads it at start, and a half-written file stops that run before any test.
    cache: false,
    // Real HTTP servers and SDK clients run in these tests; a hung socket must fail the test, not the run.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ['default'],
  },
});
