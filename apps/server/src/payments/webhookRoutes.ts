import { type Metrics, type PaymentDeps, receivePaymentWebhook } from '@handover/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

/** Gateways' events are small; anything larger is refused before it is read. */
const WEBHOOK_BODY_LIMIT = 256 * 1024;

export const webhookParams = z.object({ gateway: z.string().min(1).max(32).meta({ example: 'stripe' }) });

/** The answer to an event taken (processed, ignored, deferred or a duplicate). */
export const webhookAccepted = z.object({
  received: z.literal(true),
  status: z.string().meta({ description: '`processed`, `ignored`, `deferred` or `duplicate`' }),
});

/**
 * `POST /webhooks/:gateway` (seed 000 phase 2, seed 003 §10). The signature covers the raw bytes,
 * so this scope keeps the body as a Buffer. Answers: 200 for an event taken (processed, ignored,
 * deferred for a later look, or a duplicate that changed nothing); 400 for an unsigned, forged
 * or expired delivery (logged as a rejected row only); 503 when the gateway could not be asked
 * to verify, so it delivers again; 404 for a gateway this server does not run. A failure while
 * applying the event rolls everything back and answers 500 (503 with Retry-After while the
 * database is away): the gateway retries.
 */
export function webhookRoutes(deps: PaymentDeps, metrics?: Metrics) {
  return async (scope: FastifyInstance) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) =>
      done(null, body),
    );

    scope.post('/:gateway', { bodyLimit: WEBHOOK_BODY_LIMIT }, async (request, reply) => {
      const parsed = webhookParams.safeParse(request.params);
      if (!parsed.success) return reply.code(404).send({ error: 'unknown_gateway' });
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const gateway = parsed.data.gateway;
      let receipt: Awaited<ReturnType<typeof receivePaymentWebhook>>;
      try {
        receipt = await receivePaymentWebhook(deps, gateway, rawBody, request.headers);
      } catch (error) {
        metrics?.webhooks.inc({ gateway, outcome: 'error' });
        throw error;
      }
      metrics?.webhooks.inc({
        gateway: receipt.kind === 'unknown_gateway' ? 'unknown' : gateway,
        outcome: receipt.kind === 'accepted' ? receipt.outcome.status : receipt.kind,
      });
      switch (receipt.kind) {
        case 'unknown_gateway':
          return reply
            .code(404)
            .send({ error: 'unknown_gateway', message: `No ${parsed.data.gateway} gateway is configured here.` });
        case 'rejected':
          // Why is in the log and the rejected row; the caller learns only that it was refused.
          return reply
            .code(400)
            .send({ error: 'invalid_webhook', message: 'This delivery could not be verified as the gateway’s own.' });
        case 'unavailable':
          return reply
            .code(503)
            .header('retry-after', '30')
            .send({ error: 'verification_unavailable', message: 'The signature cannot be checked right now.' });
        case 'duplicate':
          return reply.code(200).send({ received: true, status: 'duplicate' });
        case 'accepted':
          return reply.code(200).send({ received: true, status: receipt.outcome.status });
      }
    });
  };
}
