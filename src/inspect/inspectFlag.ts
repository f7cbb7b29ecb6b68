import type { StartInspectorOptions } from './startInspector.js';

/**
 * Reads the value of a `--inspect` flag: nothing for a local inspector page (a free port), a
 * port number for that page on a chosen port, a `ws://` / `wss://` URL for a websocket
 * inspector of your own, or `sky` for Stately's hosted inspector. Anything else throws, naming
 * what is accepted.
 *
 * @example
 * ```ts
 * import { inspectorOptionsFromFlag, startInspector } from 'llm-health-router';
 * const inspector = await startInspector(inspectorOptionsFromFlag(flags.inspect)); // true, '4000', 'ws://…' or 'sky'
 * ```
 */
export function inspectorOptionsFromFlag(value: string | true): StartInspectorOptions {
  const text = value === true ? '' : value.trim();
  if (text === '') return { mode: 'server' };
  if (text === 'sky') return { mode: 'sky' };
  if (/^wss?:\/\/./i.test(text)) return { mode: 'websocket', url: text };
  if (/^\d+$/.test(text) && Number(text) <= 65_535) return { mode: 'server', port: Number(text) };
  throw new TypeError(`--inspect takes no value (a local inspector page), a port, a ws:// or wss:// URL, or "sky"; not "${text}"`);
}
