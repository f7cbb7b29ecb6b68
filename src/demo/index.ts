export { runDemo } from './runDemo.js';
export { DEMO_VARIANTS, demoVariant } from './variants.js';
export type { DemoCall, DemoOptions, DemoResult, DemoSummary, DemoTurnRow, DemoVariant } from './demoTypes.js';
