import { z } from 'zod';
import { FAILURE_KINDS } from '../classify/failure.js';
import type { HealthFact } from './facts.js';

const time = z.number().int().nonnegative();
const base = {
  v: z.literal(1),
  at: time,
  backend: z.string().min(1),
  turnId: z.string().optional(),
  purpose: z
    .string()
    .regex(/^(main|title|delegate|probe|manual|auxiliary:.+)$/)
    .optional(),
  writer: z.string().optional(),
  seq: z.number().int().nonnegative().optional(),
};
const failure = z.object({
  kind: z.enum(FAILURE_KINDS as unknown as [string, ...string[]]),
  reason: z.string().min(1),
  message: z.string().optional(),
  status: z.number().int().optional(),
  cooldownHintMs: z.number().nonnegative().optional(),
});

/** The schema every fact read back from a journal must satisfy (unknown fields are tolerated, for forward compatibility within a version). */
export const healthFactSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('call.succeeded'), startedAt: time }),
  z.object({ ...base, type: z.literal('call.failed'), startedAt: time, failure, jitterSample: z.number().min(0).max(1) }),
  z.object({ ...base, type: z.literal('probe.started'), panic: z.literal(true).optional() }),
  z.object({ ...base, type: z.literal('probe.abandoned'), claimedBy: z.string().min(1), claim: z.number().int().nonnegative().optional() }),
  z.object({ ...base, type: z.literal('backend.reset'), reason: z.string().optional() }),
]);

/** Why a record is not a valid fact, in one line; `undefined` when it is one. */
export function factProblem(value: unknown): string | undefined {
  if (typeof value === 'object' && value !== null && 'v' in value && (value as { v: unknown }).v !== 1) {
    return `unsupported format version ${JSON.stringify((value as { v: unknown }).v)} (this version reads v1)`;
  }
  const parsed = healthFactSchema.safeParse(value);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? issue.path.join('.') : 'record';
  return `${where}: ${issue.message}`;
}

/** Narrows a parsed record to a fact, or throws with the reason (callers add the file and line). */
export function asFact(value: unknown): HealthFact {
  const problem = factProblem(value);
  if (problem) throw new Error(problem);
  return value as HealthFact;
}
