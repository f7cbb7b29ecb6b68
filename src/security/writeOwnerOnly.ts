import { open } from 'node:fs/promises';

/**
 * Writes `text` to `path` readable and writable by its owner only (mode `0600`), like the journal:
 * a health report quotes backend error text and names backends, so it is not for other users of
 * the machine. A file that already exists is truncated and switched to `0600` before the new text
 * goes in (`writeFile`'s `mode` applies only to a file it creates, so an old `0644` report would
 * otherwise stay readable). Errors are the file system's (`EISDIR`, `EACCES` …), unchanged.
 *
 * @internal
 * @example
 * ```ts
 * await writeOwnerOnly('report.html', renderHealthReport({ history }));
 * ```
 */
export async function writeOwnerOnly(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}
