export { startInspector, type InspectorMode, type RunningInspector, type StartInspectorOptions } from './startInspector.js';
export { inspectorOptionsFromFlag } from './inspectFlag.js';
export { STATELY_INSPECTOR_UI } from './bridgePage.js';
