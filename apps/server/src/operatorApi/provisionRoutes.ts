import { approveOrderForProvisioning, ValidationError } from '@handover/core';
import type { Orm } from '@handover/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

export const provisionParams = z.object({ id: z.uuid({ error: 'the order id must be a UUID' }) });

/** The body is optional; when sent it is JSON. */
export const provisionBody = z
  .object({
    /** Who approved the order in the operator's system, for the activity log. */
    approvedBy: z.string().trim().min(1).max(200).optional(),
  })
  .strict();

/** What an approval starts. */
export const provisionAccepted = z.object({
  orderId: z.uuid(),
  orderCode: z.string(),
  status: z.string(),
  fulfillmentRecordsQueued: z.number().int(),
});

/**
 * Seed 004 step 5: `POST /provision/orders/:id`, called by the operator's system once an order
 * is approved. Registered inside `signedOperatorRoutes`, which has already checked the signature.
 */
export function provisionRoutes(orm: Orm) {
  return (scope: FastifyInstance) => {
    scope.post('/orders/:id', async (request, reply) => {
      const { id } = parse(provisionParams, request.params);
      const body = parse(provisionBody, jsonBody(request));
      const approved = await approveOrderForProvisioning(orm.em.fork(), id, {
        type: 'api',
        id: body.approvedBy ?? 'operator-api',
      });
      return reply.code(202).send(
        provisionAccepted.parse({
          orderId: approved.orderId,
          orderCode: approved.orderCode,
          status: approved.status,
          fulfillmentRecordsQueued: approved.enqueuedRecordIds.length,
        }),
      );
    });
  };
}

function jsonBody(request: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(request.body) ? request.body.toString('utf8') : '';
  if (!raw.trim()) return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new ValidationError('The body must be JSON.');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(z.prettifyError(result.error));
  return result.data;
}
