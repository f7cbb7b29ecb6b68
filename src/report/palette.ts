import type { HealthStatus } from '../../machines/backendHealth.machine.js';

/**
 * The colour of each state a lane can be in. `probing` is a probe in flight (in `recovering`, or an
 * early probe in `cooldown`); it is drawn as stripes over the state's colour, so "recovering with a
 * probe in flight" and "cooldown with an early probe in flight" stay distinguishable.
 *
 * The hues follow the usual traffic reading (green good, yellow watch, orange out for a while, red
 * out until something changes) and differ in lightness too, so they survive a grey-scale print.
 *
 * @example
 * ```ts
 * PALETTE.cooldown; // '#e8743b'
 * ```
 */
export const PALETTE: Readonly<Record<HealthStatus | 'probing', string>> = Object.freeze({
  healthy: '#3a9d5d',
  suspect: '#f2c94c',
  recovering: '#5b9bd5',
  probing: '#7a4fc9',
  cooldown: '#e8743b',
  down: '#9e1b1b',
});

/**
 * One row of the legend: the state as the DOM names it and what it means for routing.
 *
 * @example
 * ```ts
 * const row: LegendEntry = { status: 'cooldown', probe: false, label: 'cooldown', meaning: 'not routable until its deadline' };
 * ```
 */
export interface LegendEntry {
  readonly status: HealthStatus;
  /** A probe is in flight (`data-probe="in-flight"`). */
  readonly probe: boolean;
  readonly label: string;
  readonly meaning: string;
}

/**
 * The legend, in the order a backend usually passes through the states.
 *
 * @example
 * ```ts
 * LEGEND.map((e) => e.label).join(', '); // 'healthy, suspect, cooldown, …'
 * ```
 */
export const LEGEND: readonly LegendEntry[] = Object.freeze([
  { status: 'healthy', probe: false, label: 'healthy', meaning: 'routable' },
  { status: 'suspect', probe: false, label: 'suspect', meaning: 'routable; failures within the streak window' },
  { status: 'cooldown', probe: false, label: 'cooldown', meaning: 'ejected until its deadline' },
  { status: 'cooldown', probe: true, label: 'cooldown, early probe in flight', meaning: 'users stay out; one cheap probe tests the backend' },
  { status: 'recovering', probe: false, label: 'recovering', meaning: 'half-open: the next call is the probe' },
  { status: 'recovering', probe: true, label: 'recovering, probe in flight', meaning: 'not routable until the probe answers' },
  { status: 'down', probe: false, label: 'down', meaning: 'auth or configuration failure; waits for a reset or the long probe interval' },
] satisfies LegendEntry[]);
