import {
  beginIdempotentRequest,
  type Clock,
  claimNonce,
  completeIdempotentRequest,
  isTimestampFresh,
  operatorRefusalsAllowed,
  recordOperatorRejection,
  releaseIdempotentRequest,
  SIGNATURE_MAX_SKEW_MS,
  verifyRequestSignature,
} from '@handover/core';
import type { Orm } from '@handover/db';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { errorBody, sendError } from '../http/errors';
import type { IpAllowList } from './ipAllowList';

export interface SignedRoutesOptions {
  orm: Orm;
  clock: Clock;
  /** Shared secrets; any of them may sign. Empty: the routes answer 503. */
  secrets: readonly string[];
  /** Largest body accepted, in bytes. */
  bodyLimit?: number;
  /** Seed 004: only these addresses may call; null or unset: any. */
  allowedIps?: IpAllowList | null;
}

const IDEMPOTENCY_SCOPE = 'operator_api';

export const signedHeaders = z.object({
  'x-timestamp': z.string().regex(/^\d{1,12}$/),
  'x-nonce': z.string().regex(/^[A-Za-z0-9._:-]{16,128}$/),
  'x-signature': z.string().regex(/^sha256=[0-9a-f]{64}$/),
});

export const idempotencyKeyHeader = z.object({
  'idempotency-key': z.string().regex(/^[\x21-\x7e]{1,255}$/, 'use 1 to 255 visible ASCII characters'),
});

declare module 'fastify' {
  interface FastifyRequest {
    /** Set on signed routes: the key this request holds until its answer is stored. */
    operatorIdempotencyKey?: string;
  }
}

/**
 * Routes registered through `register` are signed operator routes (seed 004's provisioning
 * call, and any later inbound operator call). Each request must carry a fresh X-Timestamp, an
 * unused X-Nonce and a valid HMAC-SHA256 X-Signature (see core's requestSignature.ts), or it is
 * refused with 401 and logged. Each must carry an Idempotency-Key: the same key replays the
 * first answer, the same key with another request gets 422.
 */
export function signedOperatorRoutes(options: SignedRoutesOptions, register: (scope: FastifyInstance) => void) {
  return async (scope: FastifyInstance) => {
    const { orm, clock, secrets } = options;
    const bodyLimit = options.bodyLimit ?? 64 * 1024;
    scope.addHook('onRoute', (route) => {
      route.bodyLimit = bodyLimit;
    });
    // The signature covers the raw bytes: keep them, and let each route parse them.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

    // Seed 004: an address outside the allow-list is refused before its body is read.
    scope.addHook('onRequest', async (request, reply) => {
      if (!options.allowedIps || options.allowedIps.allows(request.ip)) return;
      request.log.warn({ reason: 'ip_not_allowed', ip: request.ip }, 'operator call refused');
      await recordOperatorRejection(
        orm.em.fork(),
        { reason: 'ip_not_allowed', method: request.method, path: request.url, ip: request.ip },
        clock,
      );
      return reply.code(403).send(
        errorBody(request, 'forbidden', 'This address may not call the operator API (PROVISION_ALLOWED_IPS).', {
          reason: 'ip_not_allowed',
        }),
      );
    });

    scope.addHook('preHandler', async (request, reply) => {
      if (secrets.length === 0) {
        return reply.code(503).send({
          error: 'operator_api_disabled',
          message: 'Signed operator calls are off: PROVISION_API_SECRETS is not set on this server.',
        });
      }
      const allowed = await operatorRefusalsAllowed(orm.em.fork(), request.ip, clock);
      if (!allowed.allowed) {
        const seconds = Math.max(1, Math.ceil(allowed.retryAfterMs / 1000));
        return reply
          .code(429)
          .header('retry-after', String(seconds))
          .send({
            error: 'too_many_refusals',
            message: `Too many refused calls from your address; try again in ${seconds} seconds, signed correctly.`,
          });
      }
      const refusal = await checkSignature(request, secrets, orm, clock);
      if (refusal) {
        request.log.warn({ reason: refusal.reason, ip: request.ip }, 'operator call refused');
        await recordOperatorRejection(
          orm.em.fork(),
          { reason: refusal.reason, method: request.method, path: request.url, ip: request.ip },
          clock,
        );
        return reply.code(401).send({ error: 'unauthorized', reason: refusal.reason, message: refusal.message });
      }
      return claimIdempotencyKey(request, reply, orm, clock);
    });

    scope.addHook('onSend', async (request, reply, payload) => {
      const key = request.operatorIdempotencyKey;
      if (!key) return payload;
      const em = orm.em.fork();
      // Our own failures are not kept: the caller's retry with the same key runs again.
      if (reply.statusCode >= 500) await releaseIdempotentRequest(em, { scope: IDEMPOTENCY_SCOPE, key });
      else {
        const body = typeof payload === 'string' && payload ? JSON.parse(payload) : null;
        await completeIdempotentRequest(
          em,
          { scope: IDEMPOTENCY_SCOPE, key },
          { status: reply.statusCode, body },
          clock,
        );
      }
      return payload;
    });

    scope.setErrorHandler((error: Error, _request, reply) =>
      sendError(reply, error, 'The request failed on our side; retry it with the same Idempotency-Key.'),
    );

    register(scope);
  };
}

function rawBody(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

async function checkSignature(
  request: FastifyRequest,
  secrets: readonly string[],
  orm: Orm,
  clock: Clock,
): Promise<{ reason: string; message: string } | null> {
  const headers = signedHeaders.safeParse(request.headers);
  if (!headers.success) {
    return {
      reason: 'missing_or_malformed_headers',
      message: 'Send X-Timestamp (Unix seconds), X-Nonce (16-128 characters) and X-Signature (sha256=<hex>).',
    };
  }
  const timestamp = headers.data['x-timestamp'];
  const nonce = headers.data['x-nonce'];
  if (!isTimestampFresh(timestamp, clock.now())) {
    return { reason: 'stale_timestamp', message: 'X-Timestamp is more than 5 minutes away from our clock.' };
  }
  const parts = { method: request.method, path: request.url, timestamp, nonce, body: rawBody(request) };
  if (!verifyRequestSignature(secrets, parts, headers.data['x-signature'])) {
    return { reason: 'bad_signature', message: 'X-Signature does not match this request.' };
  }
  // Kept for as long as this timestamp could pass the freshness check.
  const keepUntil = new Date(Math.max(Number(timestamp) * 1000, clock.now().getTime()) + SIGNATURE_MAX_SKEW_MS);
  if (!(await claimNonce(orm.em.fork(), nonce, keepUntil, clock))) {
    return { reason: 'reused_nonce', message: 'X-Nonce was already used: sign each request with a new one.' };
  }
  return null;
}

async function claimIdempotencyKey(request: FastifyRequest, reply: FastifyReply, orm: Orm, clock: Clock) {
  const header = idempotencyKeyHeader.safeParse(request.headers);
  if (!header.success) {
    return reply.code(400).send({
      error: 'idempotency_key_required',
      message: 'Send an Idempotency-Key header (1-255 visible characters), the same on every retry.',
    });
  }
  const key = header.data['idempotency-key'];
  const decision = await beginIdempotentRequest(
    orm.em.fork(),
    { scope: IDEMPOTENCY_SCOPE, key, method: request.method, path: request.url, body: rawBody(request) },
    clock,
  );
  switch (decision.kind) {
    case 'proceed':
      request.operatorIdempotencyKey = key;
      return;
    case 'replay':
      return reply.code(decision.status).header('idempotent-replayed', 'true').send(decision.body);
    case 'mismatch':
      return reply.code(422).send({
        error: 'idempotency_key_reused',
        message: 'This Idempotency-Key was used with a different request. Use a new key for a new request.',
      });
    case 'in_progress':
      return reply.code(409).send({
        error: 'idempotency_key_in_use',
        message: 'The first request with this Idempotency-Key is still running; retry shortly.',
      });
  }
}
