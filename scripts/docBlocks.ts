import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backendHealthMachine } from '../src/health/index.js';
import { statechartToMermaid, statechartTransitions } from '../src/visual/statechartMermaid.js';

/** A generated section of a Markdown file, between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export interface GeneratedBlock {
  readonly file: string;
  readonly name: string;
  readonly render: () => string;
}

const fromRoot = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

/** Every block `npm run docs` writes; the docs test regenerates each and compares with the committed file. */
export const GENERATED_BLOCKS: readonly GeneratedBlock[] = [
  {
    file: 'README.md',
    name: 'readme-health-example',
    render: () => ['```ts', readFileSync(fromRoot('examples/health-check.ts'), 'utf8').trimEnd(), '```'].join('\n'),
  },
  { file: 'docs/health.md', name: 'health-statechart', render: () => ['```mermaid', statechartToMermaid(backendHealthMachine), '```'].join('\n') },
  {
    file: 'docs/health.md',
    name: 'health-transitions',
    render: () => {
      const rows = statechartTransitions(backendHealthMachine);
      return [
        '| from | event | guard | to | actions |',
        '|---|---|---|---|---|',
        ...rows.map((r) => `| ${r.source} | \`${r.event}\` | ${r.guard || '—'} | ${r.target} | ${r.actions || '—'} |`),
      ].join('\n');
    },
  },
];

/** Replaces the body of block `name` in `markdown`; throws if the markers are missing, so a block is never silently dropped. */
export function spliceBlock(markdown: string, name: string, body: string, file: string): string {
  const start = `<!-- generated:${name} -->`;
  const end = `<!-- /generated:${name} -->`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${file}: markers ${start} … ${end} not found`);
  return `${markdown.slice(0, from + start.length)}\n${body}\n${markdown.slice(to)}`;
}

/** The content every file with generated blocks should have now. */
export async function renderGeneratedFiles(root: string): Promise<Map<string, { current: string; expected: string }>> {
  const files = new Map<string, { current: string; expected: string }>();
  for (const block of GENERATED_BLOCKS) {
    let entry = files.get(block.file);
    if (!entry) {
      const current = await readFile(`${root}/${block.file}`, 'utf8');
      entry = { current, expected: current };
    }
    entry.expected = spliceBlock(entry.expected, block.name, block.render(), block.file);
    files.set(block.file, entry);
  }
  return files;
}
