import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderGeneratedFiles } from '../../scripts/docBlocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('generated documentation', () => {
  it('the committed statechart diagram and transition table match the machine (run `npm run docs` if not)', async () => {
    const files = await renderGeneratedFiles(root);
    expect(files.size).toBeGreaterThan(0);
    for (const [file, { current, expected }] of files) expect(current, `${file} is stale: run npm run docs`).toBe(expected);
  });
});
