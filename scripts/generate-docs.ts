import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderGeneratedFiles } from './docBlocks.js';

// `npm run docs` rewrites the generated blocks; `npm run docs -- --check` only reports stale ones.
const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, { current, expected }] of await renderGeneratedFiles(root)) {
  if (current === expected) continue;
  stale += 1;
  if (check) console.error(`${file} is stale: run npm run docs`);
  else {
    await writeFile(`${root}/${file}`, expected);
    console.log(`wrote ${file}`);
  }
}
if (check && stale > 0) process.exit(1);
if (stale === 0) console.log('generated docs are up to date');
