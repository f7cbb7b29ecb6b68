import { inspectorOptionsFromFlag, startInspector, type RunningInspector } from '../inspect/index.js';
import { UsageError } from './args.js';

/**
 * `--inspect` (a local inspector page), `--inspect=PORT`, `--inspect=ws://…` (your websocket
 * inspector) or `--inspect=sky` (Stately's hosted inspector), started; a bad value is a usage error.
 */
export async function inspectionFromFlag(flag: string): Promise<RunningInspector> {
  let options;
  try {
    options = inspectorOptionsFromFlag(flag.startsWith('--inspect=') ? flag.slice('--inspect='.length) : true);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return startInspector(options);
}
