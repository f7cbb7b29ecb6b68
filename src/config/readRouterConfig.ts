import { readFile } from 'node:fs/promises';
import { ConfigError } from './configError.js';
import { loadRouterConfig, type LoadRouterConfigOptions } from './loadRouterConfig.js';
import type { RouterConfig } from './routerConfig.js';

/**
 * Read and load a router config file (YAML, or JSON — YAML reads both; pass `format: 'json'` for
 * strict JSON). Every error names the file: a read failure is a {@link ConfigError} too, so
 * callers handle one error type.
 *
 * @example
 * ```ts
 * import { readRouterConfig } from 'llm-health-router';
 * const config = await readRouterConfig('router.yaml');
 * for (const d of config.dropped) console.warn(`router.yaml: ${d.path} dropped: ${d.reason}`);
 * ```
 */
export async function readRouterConfig(path: string, options: Omit<LoadRouterConfigOptions, 'file'> = {}): Promise<RouterConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    throw new ConfigError([{ path: '', message: `cannot read the file: ${why}; check the path (relative paths start at ${process.cwd()})` }], path);
  }
  return loadRouterConfig(text, { ...options, file: path });
}
