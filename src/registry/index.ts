export { HealthRegistry, type FactInput } from './healthRegistry.js';
export { openHealthRegistry, type HealthRegistryOptions } from './openHealthRegistry.js';
export { compactJournal } from './compactJournal.js';
export type { BackendHealthView } from './backendView.js';
