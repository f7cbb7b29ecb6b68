import { createRequire } from 'node:module';
import type { WebSocket, WebSocketServer } from 'ws';

/**
 * The packages an inspector is built from, loaded only when one is started: `@statelyai/inspect`
 * (which turns XState's inspection events into the messages the Stately inspector reads) and the
 * transport pieces it depends on itself.
 *
 * @internal
 * @example
 * ```ts
 * const { inspect, ws } = await loadInspectorModules();
 * const socket = new ws.WebSocket('ws://127.0.0.1:8080');
 * ```
 */
export interface InspectorModules {
  readonly inspect: typeof import('@statelyai/inspect');
  readonly ws: { readonly WebSocket: typeof WebSocket; readonly WebSocketServer: typeof WebSocketServer };
  /** Stately's hosted inspector reads superjson, not plain JSON. */
  readonly superjson: { stringify(value: unknown): string };
  readonly safeStringify: typeof import('safe-stable-stringify');
}

let loading: Promise<InspectorModules> | undefined;

/**
 * Loads the inspector's packages once per process. `ws`, `superjson` and `safe-stable-stringify`
 * are dependencies of `@statelyai/inspect`, not of this package, so they are resolved from where
 * it is installed: that works whatever the package manager's layout (hoisted or not).
 *
 * @internal
 * @example
 * ```ts
 * const modules = await loadInspectorModules();
 * modules.inspect.createInspector({ send: (event) => console.log(event.type) });
 * ```
 */
export function loadInspectorModules(): Promise<InspectorModules> {
  loading ??= (async () => {
    const inspect = await import('@statelyai/inspect');
    const fromInspect = createRequire(createRequire(import.meta.url).resolve('@statelyai/inspect'));
    return {
      inspect,
      ws: fromInspect('ws') as InspectorModules['ws'],
      superjson: fromInspect('superjson') as InspectorModules['superjson'],
      safeStringify: fromInspect('safe-stable-stringify') as InspectorModules['safeStringify'],
    };
  })();
  return loading;
}
