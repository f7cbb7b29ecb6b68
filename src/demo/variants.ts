import type { DemoVariant } from './demoTypes.js';

/**
 * Policies the demo can run side by side (`demo --compare`), to show what each part buys.
 *
 * @example
 * ```ts
 * import { DEMO_VARIANTS } from 'llm-health-router';
 * DEMO_VARIANTS.map((v) => v.name); // ['default', 'no-early-probes', 'no-active-probes', 'patient']
 * ```
 */
export const DEMO_VARIANTS: readonly DemoVariant[] = Object.freeze([
  { name: 'default', description: 'the default policy: active probes, an early probe every 30 s in a cooldown', health: {}, activeProbes: true },
  { name: 'no-early-probes', description: 'active probes only when a cooldown ends (probe.intervalMs: null)', health: { probe: { intervalMs: null } }, activeProbes: true },
  { name: 'no-active-probes', description: 'no router probes: the first turn after a cooldown is the probe', health: {}, activeProbes: false },
  {
    name: 'patient',
    description: 'three server errors before a cooldown, 60 s base cooldown',
    health: { thresholds: { backend_fault: 3 }, cooldown: { baseMs: 60_000 } },
    activeProbes: true,
  },
]);

/**
 * The variant called `name`, or an error listing the known ones.
 *
 * @example
 * ```ts
 * import { demoVariant } from 'llm-health-router';
 * demoVariant('no-active-probes').activeProbes; // false
 * ```
 */
export function demoVariant(name: string): DemoVariant {
  const found = DEMO_VARIANTS.find((v) => v.name === name);
  if (!found) throw new RangeError(`unknown policy variant "${name}"; known: ${DEMO_VARIANTS.map((v) => v.name).join(', ')}`);
  return found;
}
