import type { InspectionEvent } from 'xstate';
import { STATELY_INSPECTOR_UI } from './bridgePage.js';
import { inspectionJson } from './inspectionJson.js';
import { loadInspectorModules } from './inspectorModules.js';
import { startRelayServer } from './relayServer.js';
import { skySession } from './skySession.js';
import { SocketSender } from './socketSender.js';

/**
 * Where the router's statecharts are shown.
 *
 * - `server`: a page on 127.0.0.1 (port 0, the default, picks a free one) that embeds the Stately
 *   inspector. The process sends nothing off the machine; the browser loads the inspector's UI
 *   from stately.ai (`ui` points it elsewhere).
 * - `websocket`: messages go to a websocket inspector of your own (`ws://` or `wss://`), for
 *   example another process's `server` page at its `ws://127.0.0.1:PORT/`.
 * - `sky`: Stately's hosted inspector; needs internet, and the messages leave the machine.
 *
 * @example
 * ```ts
 * const local: InspectorMode = { mode: 'server' };
 * const own: InspectorMode = { mode: 'websocket', url: 'ws://127.0.0.1:8080' };
 * ```
 */
export type InspectorMode =
  | {
      readonly mode: 'server';
      /** Default 0: a free port, shown in `url`. */
      readonly port?: number;
      /** The inspector UI the page embeds (default {@link STATELY_INSPECTOR_UI}, which needs internet in the browser). */
      readonly ui?: string;
    }
  | { readonly mode: 'websocket'; readonly url: string }
  | { readonly mode: 'sky' };

/**
 * How to start an inspector: where to show it, and whether conversations are shown.
 *
 * @example
 * ```ts
 * const options: StartInspectorOptions = { mode: 'server', port: 4000 };
 * ```
 */
export type StartInspectorOptions = InspectorMode & {
  /**
   * Show the requests and replies of routed calls in full (default false: a request is shown as
   * its message count, a reply without its text). A routed-call actor holds the whole conversation.
   */
  readonly showConversation?: boolean;
};

/**
 * A started inspector. Pass `inspect` to `openHealthRegistry` and `createHealthRouter`; call
 * `stop()` before the process ends (nothing of it keeps a process alive afterwards).
 *
 * @example
 * ```ts
 * const inspector = await startInspector({ mode: 'server' });
 * if (inspector.url) console.error(`Stately inspector: ${inspector.url}`);
 * await inspector.stop();
 * ```
 */
export interface RunningInspector {
  /** The observer to give actors: `createActor(machine, { inspect })`. */
  readonly inspect: (event: InspectionEvent) => void;
  /** The page to open in a browser (`server`: `http://127.0.0.1:PORT/`, `sky`: a stately.ai page); none for `websocket`. */
  readonly url: string | undefined;
  /** Delivers what is already on its way, then closes every socket, server and timer. */
  stop(): Promise<void>;
}

/**
 * Starts a Stately inspector for the health and routed-call actors. `@statelyai/inspect` is
 * loaded only now, so a router that never inspects never loads it.
 *
 * @example
 * ```ts
 * import { createHealthRouter, openHealthRegistry, startInspector, sdkTransport } from 'llm-health-router';
 * const inspector = await startInspector({ mode: 'server' });
 * console.error(`Stately inspector: ${inspector.url}`);
 * const registry = await openHealthRegistry({ inspect: inspector.inspect });
 * const router = await createHealthRouter({ config, transport: sdkTransport(), registry, inspect: inspector.inspect });
 * // … on exit:
 * await router.close();
 * await inspector.stop();
 * ```
 */
export function startInspector(options: StartInspectorOptions): Promise<RunningInspector> {
  return startInspectorAt(options);
}

/** Only what the inspector UI draws: registrations, events and snapshots (not microsteps or actions). */
const SHOWN = new Set(['@xstate.actor', '@xstate.event', '@xstate.snapshot']);

/**
 * {@link startInspector}, with the hosted inspector's addresses replaceable so the `sky` mode can
 * be exercised against a local server.
 *
 * @internal
 * @example
 * ```ts
 * const inspector = await startInspectorAt({ mode: 'sky' }, { socketBase: 'ws://127.0.0.1:4000', pageBase: 'http://127.0.0.1:4000/inspect' });
 * ```
 */
export async function startInspectorAt(options: StartInspectorOptions, sky?: { readonly socketBase: string; readonly pageBase: string }): Promise<RunningInspector> {
  checkOptions(options);
  const modules = await loadInspectorModules();
  const toJson = inspectionJson(modules.safeStringify, { showConversation: options.showConversation ?? false });
  let deliver: (message: object) => void;
  let url: string | undefined;
  let close: () => Promise<void>;
  if (options.mode === 'server') {
    const relay = await startRelayServer(modules.ws, { port: options.port ?? 0, ui: options.ui ?? STATELY_INSPECTOR_UI });
    deliver = (message) => relay.publish(toJson(message));
    url = relay.pageUrl;
    close = () => relay.close();
  } else {
    const hosted = options.mode === 'sky';
    const target = hosted ? skySession(undefined, sky) : { socketUrl: options.url, pageUrl: undefined };
    const sender = new SocketSender(modules.ws.WebSocket, { url: target.socketUrl });
    sender.start();
    // The hosted inspector decodes superjson; a websocket inspector reads the JSON itself.
    deliver = hosted ? (message) => sender.send(modules.superjson.stringify(JSON.parse(toJson(message)))) : (message) => sender.send(toJson(message));
    url = target.pageUrl;
    close = () => sender.close();
  }

  const inspector = modules.inspect.createInspector({ send: (message) => deliver(message) });
  let stopping: Promise<void> | undefined;
  return {
    inspect: (event) => {
      if (!stopping && SHOWN.has(event.type)) inspector.inspect.next?.(event);
    },
    url,
    stop() {
      stopping ??= (async () => {
        // The inspector converts each event on a zero-delay timer: let those already queued go out.
        await new Promise((resolve) => setTimeout(resolve, 0));
        await close();
      })();
      return stopping;
    },
  };
}

function checkOptions(options: StartInspectorOptions): void {
  if (options.mode === 'server') {
    const { port, ui } = options;
    if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) throw new RangeError(`the inspector's port must be a whole number from 0 to 65535, not ${port}`);
    if (ui !== undefined && !/^https?:$/.test(parsedUrl(ui)?.protocol ?? '')) throw new TypeError(`the inspector's ui must be an http(s) URL, not "${ui}"`);
  } else if (options.mode === 'websocket') {
    if (!/^wss?:$/.test(parsedUrl(options.url)?.protocol ?? '')) throw new TypeError(`a websocket inspector's url starts with ws:// or wss://, not "${options.url}"`);
  } else if (options.mode !== 'sky') {
    throw new TypeError(`unknown inspector mode "${(options as { mode: unknown }).mode}": use server, websocket or sky`);
  }
}

function parsedUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}
