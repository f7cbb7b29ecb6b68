import { PALETTE } from './palette.js';

/**
 * The report's whole stylesheet, inlined: a report is one file that opens anywhere, offline.
 * Lane labels are sticky on the left and the axis sticky on top, so 200 lanes can scroll both
 * ways without losing which backend and which time a mark belongs to.
 *
 * @example
 * ```ts
 * const head = `<style>${reportCss()}</style>`;
 * ```
 */
export function reportCss(): string {
  const p = PALETTE;
  const stripes = `repeating-linear-gradient(135deg, ${p.probing} 0 3px, transparent 3px 7px)`;
  return `
:root { --label-w: 380px; --lane-h: 26px; --right: 28px; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2430; background: #fff; }
#health-report { min-width: calc(var(--label-w) + 680px); }
#health-report.compact { --lane-h: 14px; }
.top { padding: 16px 20px 6px; }
h1 { font-size: 20px; margin: 0 0 2px; }
h2 { font-size: 16px; margin: 0 0 8px; }
.note { color: #555; margin: 0 0 6px; }
.empty { color: #8a4b00; font-weight: 600; }
.summary { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 8px 0; }
.summary div { display: flex; gap: 6px; }
.summary dt { color: #666; }
.summary dd { margin: 0; font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; padding: 0; margin: 6px 0; font-size: 12px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.sw { display: inline-block; width: 24px; height: 12px; border-radius: 2px; position: relative; }
.sw .m { left: 50%; }
.controls { display: flex; gap: 12px; align-items: center; margin: 6px 0 2px; }
.controls input { font: inherit; padding: 3px 6px; width: 280px; border: 1px solid #bbb; border-radius: 4px; }
.controls output { color: #555; }
.timeline { position: relative; margin: 0 0 24px; }
.axis { display: flex; position: sticky; top: 0; z-index: 5; background: #fff; height: 24px; }
.axis.turns { top: 24px; height: 22px; border-bottom: 1px solid #ccc; }
.corner { position: sticky; left: 0; z-index: 6; width: var(--label-w); flex: none; background: #fff; padding: 4px 8px; color: #666; font-size: 11px; border-right: 1px solid #ddd; }
.ticks { position: relative; flex: 1; margin-right: var(--right); }
.tick { position: absolute; top: 4px; transform: translateX(-50%); white-space: nowrap; font-size: 11px; color: #333; }
.tick b { font-weight: 600; color: #777; }
.turn { position: absolute; top: 2px; transform: translateX(-50%); max-width: 96px; min-width: 7px; height: 17px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-size: 11px; padding: 0 3px; background: #eef0f6; border-radius: 3px; border-bottom: 2px solid #4b5270; }
.tick.from-left, .turn.from-left { transform: none; }
.tick.from-right, .turn.from-right { transform: translateX(-100%); }
.lanes { position: relative; }
/* The separator is drawn by the label and the track, so the sticky label covers its whole row (the grid lines pass under it). */
.lane { display: flex; height: var(--lane-h); }
.key, .track { border-bottom: 1px solid #f0f0f0; }
.lane[hidden] { display: none; }
.lane:hover, .lane:hover .key { background: #f3f6fb; }
.key { position: sticky; left: 0; z-index: 3; width: var(--label-w); flex: none; background: #fff; padding: 0 8px; font: 11.5px/calc(var(--lane-h) - 1px) ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-right: 1px solid #ddd; }
.compact .key { font-size: 10px; }
.track { position: relative; flex: 1; margin-right: var(--right); background: #fafafa; }
.s { position: absolute; top: 4px; bottom: 4px; min-width: 1px; }
.compact .s { top: 1px; bottom: 1px; }
.s[data-state="healthy"], .sw-healthy { background-color: ${p.healthy}; }
.s[data-state="suspect"], .sw-suspect { background-color: ${p.suspect}; }
.s[data-state="recovering"], .sw-recovering { background-color: ${p.recovering}; }
.s[data-state="cooldown"], .sw-cooldown { background-color: ${p.cooldown}; }
.s[data-state="down"], .sw-down { background-color: ${p.down}; }
.s[data-probe="in-flight"], .sw-probe { background-image: ${stripes}; }
.m { position: absolute; z-index: 2; width: 10px; height: 10px; margin-left: -5px; }
.compact .m { width: 7px; height: 7px; margin-left: -3.5px; }
.m[data-mark="failure"], .m[data-legend-mark="failure"] { top: 0; background: #161616; clip-path: polygon(0 0, 100% 0, 50% 100%); }
.m[data-mark="probe"], .m[data-legend-mark="probe"] { bottom: 1px; background: #fff; border: 2px solid ${p.probing}; transform: rotate(45deg); width: 8px; height: 8px; margin-left: -4px; }
.compact .m[data-mark="probe"] { width: 6px; height: 6px; margin-left: -3px; border-width: 1.5px; bottom: 0; }
.m[data-mark="success"], .m[data-legend-mark="success"] { bottom: 1px; border-radius: 50%; background: #fff; border: 2px solid ${p.healthy}; width: 8px; height: 8px; margin-left: -4px; }
.m[data-mark="reset"], .m[data-legend-mark="reset"] { top: 0; bottom: 0; height: auto; width: 3px; margin-left: -1.5px; background: #333; }
.sw .m { top: 1px; bottom: auto; }
.sw .tl { left: 50%; }
.sw .m[data-legend-mark="reset"] { bottom: 0; }
.grid { position: absolute; top: 0; bottom: 0; left: var(--label-w); right: var(--right); pointer-events: none; z-index: 1; }
.gl { position: absolute; top: 0; bottom: 0; border-left: 1px solid rgba(0, 0, 0, 0.07); }
.tl { position: absolute; top: 0; bottom: 0; border-left: 1px dashed rgba(40, 45, 90, 0.35); }
.chart { padding: 8px 20px 28px; }
.chart p { color: #555; margin: 0 0 8px; max-width: 980px; }
.chart svg { max-width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
.sc-state { font-size: 12.5px; fill: #1f2430; }
.sc-compound { font-size: 12.5px; font-weight: 600; fill: #555; }
.sc-label { font-size: 10px; fill: #333; paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
.sc-arrow:hover path { stroke: #000; stroke-width: 2.5; opacity: 1; }
.sc-arrow:hover text { fill: #000; font-weight: 600; }
`;
}

/**
 * The lane filter, inline: typing a substring of a backend key hides the other lanes. Plain DOM,
 * no library, so the page still makes no request.
 *
 * @example
 * ```ts
 * const tail = `<script>${filterScript()}</script>`;
 * ```
 */
export function filterScript(): string {
  return `
(function () {
  var box = document.getElementById('lane-filter');
  var count = document.getElementById('lane-count');
  var lanes = Array.prototype.slice.call(document.querySelectorAll('#health-report .lane'));
  if (!box || !count) return;
  box.addEventListener('input', function () {
    var query = box.value.trim().toLowerCase();
    var shown = 0;
    lanes.forEach(function (lane) {
      var hit = query === '' || lane.getAttribute('data-backend').toLowerCase().indexOf(query) !== -1;
      lane.hidden = !hit;
      if (hit) shown++;
    });
    count.textContent = shown === lanes.length ? lanes.length + ' backends' : shown + ' of ' + lanes.length + ' backends';
  });
})();
`;
}
