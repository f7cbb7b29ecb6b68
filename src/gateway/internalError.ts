import { randomBytes } from 'node:crypto';

/**
 * Where the gateway writes what only its operator should see (internal errors with their stack).
 *
 * @example
 * ```ts
 * const log: GatewayLog = (line) => process.stderr.write(`${line}\n`);
 * ```
 */
export type GatewayLog = (line: string) => void;

/**
 * An unexpected error (a bug, a failing disk) as the client sees it and as the operator does: the
 * detail — message and stack, which may name files — goes to the gateway's log under a fresh id,
 * and the client gets only a generic message with that id, so the two can be matched.
 *
 * @example
 * ```ts
 * const message = internalError(error, log); // 'internal error (id err_3f9a…): see the gateway's log'
 * ```
 */
export function internalError(error: unknown, log: GatewayLog): string {
  const id = `err_${randomBytes(6).toString('hex')}`;
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  log(`llm-health-router gateway: internal error ${id}: ${detail}`);
  return `internal error (id ${id}); the gateway's log has the details under this id`;
}
