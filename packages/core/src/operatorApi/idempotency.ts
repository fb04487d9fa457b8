import { createHash } from 'node:crypto';
import { IdempotencyRecord } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';

export interface IdempotentRequest {
  scope: string;
  key: string;
  method: string;
  path: string;
  body: Buffer;
}

export type IdempotencyDecision =
  /** First time: run it, then `completeIdempotentRequest` (or `releaseIdempotentRequest` on a crash). */
  | { kind: 'proceed' }
  /** Seen and answered: send this again. */
  | { kind: 'replay'; status: number; body: unknown }
  /** The same key came with another request. */
  | { kind: 'mismatch' }
  /** The first request with this key is still running. */
  | { kind: 'in_progress' };

export function requestHash(request: Pick<IdempotentRequest, 'method' | 'path' | 'body'>): string {
  return createHash('sha256')
    .update(`${request.method.toUpperCase()}\n${request.path}\n`)
    .update(request.body)
    .digest('hex');
}

/** Claims `key` for this request, or says how an earlier request with it was answered. */
export async function beginIdempotentRequest(
  em: EntityManager,
  request: IdempotentRequest,
  clock: Clock,
): Promise<IdempotencyDecision> {
  const hash = requestHash(request);
  const claimed = await em.execute<{ id: string }[]>(
    `insert into idempotency_records (scope, key, request_hash, status, created_at) values (?, ?, ?, 'in_progress', ?)
     on conflict (scope, key) do nothing returning id`,
    [request.scope, request.key, hash, clock.now().toISOString()],
  );
  if (claimed.length === 1) return { kind: 'proceed' };
  const existing = await em.fork().findOneOrFail(IdempotencyRecord, { scope: request.scope, key: request.key });
  if (existing.requestHash !== hash) return { kind: 'mismatch' };
  if (existing.status !== 'completed' || existing.responseStatus == null) return { kind: 'in_progress' };
  return { kind: 'replay', status: existing.responseStatus, body: existing.responseBody };
}

/** Keeps the answer to replay for later requests with the same key. */
export async function completeIdempotentRequest(
  em: EntityManager,
  request: Pick<IdempotentRequest, 'scope' | 'key'>,
  response: { status: number; body: unknown },
  clock: Clock,
): Promise<void> {
  await em.nativeUpdate(
    IdempotencyRecord,
    { scope: request.scope, key: request.key },
    {
      status: 'completed',
      responseStatus: response.status,
      responseBody: response.body,
      completedAt: clock.now(),
    },
  );
}

/** Frees the key after a failure on our side, so the caller's retry runs the request again. */
export async function releaseIdempotentRequest(
  em: EntityManager,
  request: Pick<IdempotentRequest, 'scope' | 'key'>,
): Promise<void> {
  await em.nativeDelete(IdempotencyRecord, { scope: request.scope, key: request.key, status: 'in_progress' });
}
