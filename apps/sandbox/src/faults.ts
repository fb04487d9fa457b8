import { z } from 'zod';

/** What to do to an emulator's requests: slow them, fail them, or never answer them. */
export const faultSpecSchema = z
  .object({
    /** Added before every answer. */
    latencyMs: z.number().int().min(0).max(120_000).default(0),
    /** Share of requests answered with `statusCode` (0..1). */
    errorRate: z.number().min(0).max(1).default(0),
    statusCode: z.number().int().min(400).max(599).default(503),
    /** Sent as Retry-After with 429/503 answers. */
    retryAfterSeconds: z.number().int().min(0).optional(),
    /** Share of requests never answered (the client must time out) (0..1). */
    timeoutRate: z.number().min(0).max(1).default(0),
    /**
     * Share of requests the vendor carries out but whose answer is lost: the connection drops
     * once the emulator has answered (0..1). Only an idempotency key saves the client from a
     * second object when it tries again.
     */
    lostAnswerRate: z.number().min(0).max(1).default(0),
    /** Only requests whose path contains this text (or one of these) are affected. */
    pathIncludes: z.union([z.string(), z.array(z.string()).min(1)]).optional(),
    /** Affect only the next N matching requests, then clear. */
    remaining: z.number().int().min(1).optional(),
  })
  .strict();

export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultDecision =
  | { kind: 'pass'; latencyMs: number }
  | { kind: 'error'; latencyMs: number; statusCode: number; retryAfterSeconds?: number }
  | { kind: 'timeout' }
  | { kind: 'lost_answer'; latencyMs: number };

/** Decides one request's fate. Pure apart from `random`, which tests pass in. */
export function decideFault(spec: FaultSpec | undefined, path: string, random: () => number): FaultDecision {
  if (!spec || !affects(spec, path)) return { kind: 'pass', latencyMs: 0 };
  if (spec.timeoutRate > 0 && random() < spec.timeoutRate) return { kind: 'timeout' };
  if (spec.lostAnswerRate > 0 && random() < spec.lostAnswerRate)
    return { kind: 'lost_answer', latencyMs: spec.latencyMs };
  if (spec.errorRate > 0 && random() < spec.errorRate) {
    return {
      kind: 'error',
      latencyMs: spec.latencyMs,
      statusCode: spec.statusCode,
      ...(spec.retryAfterSeconds !== undefined ? { retryAfterSeconds: spec.retryAfterSeconds } : {}),
    };
  }
  return { kind: 'pass', latencyMs: spec.latencyMs };
}

function affects(spec: FaultSpec, path: string): boolean {
  if (spec.pathIncludes === undefined) return true;
  const parts = Array.isArray(spec.pathIncludes) ? spec.pathIncludes : [spec.pathIncludes];
  return parts.some((part) => path.includes(part));
}

/** Parses SANDBOX_FAULTS: a JSON object of emulator name -> fault spec. */
export function parseFaultsEnv(value: string | undefined): Record<string, FaultSpec> {
  if (!value) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(value);
  } catch {
    throw new Error('SANDBOX_FAULTS must be JSON, e.g. {"plugsaas":{"errorRate":1,"statusCode":503}}');
  }
  const parsed = z.record(z.string(), faultSpecSchema).safeParse(raw);
  if (!parsed.success) throw new Error(`SANDBOX_FAULTS: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
