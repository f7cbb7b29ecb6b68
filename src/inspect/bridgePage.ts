/**
 * Where the local inspector page gets its user interface: `@statelyai/inspect` ships no UI of its
 * own, only this hosted one, so the page a user opens loads it from the internet (the router's
 * process itself never connects anywhere but 127.0.0.1).
 *
 * @example
 * ```ts
 * import { STATELY_INSPECTOR_UI } from 'llm-health-router';
 * console.log(`the inspector page embeds ${STATELY_INSPECTOR_UI}`);
 * ```
 */
export const STATELY_INSPECTOR_UI = 'https://stately.ai/inspect';

/**
 * The page served by the local inspector: it embeds the inspector UI in a frame and hands it, in
 * order, every message arriving on the page's own websocket. The UI announces itself with
 * `@statelyai.connected` once loaded; messages wait until then, and go only to the origin that
 * announced itself from that frame (whatever it redirected to), never to `*`.
 *
 * @internal
 * @example
 * ```ts
 * response.end(bridgePage(STATELY_INSPECTOR_UI));
 * ```
 */
export function bridgePage(ui: string): string {
  // JSON inside a script: `<` is escaped so no URL can close the script element.
  const uiLiteral = JSON.stringify(ui).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>llm-health-router: statecharts</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; flex-direction: column; font: 13px system-ui, sans-serif; }
  #status { padding: 4px 10px; background: #1f2430; color: #d8dee9; }
  iframe { flex: 1; width: 100%; border: 0; }
</style>
</head>
<body>
<div id="status">connecting to the router…</div>
<iframe id="ui" title="Stately inspector"></iframe>
<script>
  const ui = ${uiLiteral};
  const frame = document.getElementById('ui');
  const status = document.getElementById('status');
  const waiting = [];
  let uiOrigin = null;
  addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow || !e.data || e.data.type !== '@statelyai.connected') return;
    uiOrigin = e.origin;
    for (const message of waiting.splice(0)) frame.contentWindow.postMessage(message, uiOrigin);
  });
  frame.src = ui;
  const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/');
  socket.onopen = () => { status.textContent = 'receiving the router\\'s statecharts from ' + location.host; };
  socket.onclose = () => { status.textContent = 'the router stopped inspecting: reload this page once it inspects again'; };
  socket.onmessage = (e) => {
    const message = JSON.parse(e.data);
    if (uiOrigin) frame.contentWindow.postMessage(message, uiOrigin);
    else waiting.push(message);
  };
</script>
</body>
</html>
`;
}
