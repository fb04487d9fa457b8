import { activationChoiceSchema } from '@handover/contracts';
import {
  approveOrderForProvisioning,
  linkOperatorOrder,
  type PaymentDeps,
  rejectOrder,
  ValidationError,
} from '@handover/core';
import type { Orm } from '@handover/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseJsonStrict } from '../http/inputs';

export const provisionParams = z.object({ id: z.uuid({ error: 'the order id must be a UUID' }) });

/** The body is optional; when sent it is JSON. */
export const provisionBody = z
  .object({
    /** Who approved the order in the operator's system, for the activity log. */
    approvedBy: z.string().trim().min(1).max(200).optional(),
    /**
     * Seed 004 5a: the operator system's Activation_Type__c and, when scheduled, the date in an
     * explicit zone; without it, the order's own (the product's type, the customer's date).
     */
    activation: activationChoiceSchema.optional(),
    /**
     * Seed 004: the operator system's own order (Salesforce's Order Id), to which the
     * provisioning's outcome and billing ids are written back.
     */
    operatorOrderId: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'the operator order id is 1 to 64 letters, digits, _ or -')
      .optional(),
  })
  .strict();

export const rejectBody = z
  .object({
    /** Who rejected the order in the operator's system, for the activity log. */
    rejectedBy: z.string().trim().min(1).max(200).optional(),
    /** Why, in words the customer reads: it goes into their email. */
    reason: z
      .string({ error: 'reason is required: say why, in words the customer reads' })
      .trim()
      .min(3, 'reason: say why, in words the customer reads')
      .max(500, 'reason: keep it under 500 characters'),
  })
  .strict();

/** What an approval starts. */
export const provisionAccepted = z.object({
  orderId: z.uuid(),
  orderCode: z.string(),
  status: z.string(),
  fulfillmentRecordsQueued: z.number().int(),
  /** When the records start: now, or on a date in an explicit zone. */
  activation: z.object({
    type: z.string(),
    scheduledAt: z.iso.datetime().nullable(),
    timeZone: z.string().nullable(),
  }),
});

/** What a rejection did: the order cancelled, and the refunds of what was paid. */
export const provisionRejected = z.object({
  orderId: z.uuid(),
  orderCode: z.string(),
  status: z.literal('cancelled'),
  refunds: z.array(
    z.object({
      id: z.uuid(),
      amountMinor: z.number().int(),
      currency: z.string(),
      destination: z.string(),
      status: z.string(),
    }),
  ),
});

/**
 * Seed 004 step 5: `POST /provision/orders/:id`, called by the operator's system once an order
 * is approved, and `POST /provision/orders/:id/reject` when it is not. Registered inside
 * `signedOperatorRoutes`, which has already checked the signature. Both call the core operation
 * the back office calls.
 */
export function provisionRoutes(orm: Orm, payments: Omit<PaymentDeps, 'em' | 'portalUrl'> & { portalUrl: string }) {
  const { clock, portalUrl } = payments;
  return (scope: FastifyInstance) => {
    scope.post('/orders/:id', async (request, reply) => {
      const { id } = parse(provisionParams, request.params);
      const body = parse(provisionBody, jsonBody(request));
      const approvedBy = body.approvedBy ?? 'operator-api';
      if (body.operatorOrderId) await linkOperatorOrder(orm.em.fork(), id, body.operatorOrderId, clock.now());
      const approved = await approveOrderForProvisioning(
        orm.em.fork(),
        id,
        { type: 'api', id: approvedBy },
        { activation: body.activation, decidedBy: approvedBy, now: clock.now(), portalUrl },
      );
      return reply.code(202).send(
        provisionAccepted.parse({
          orderId: approved.orderId,
          orderCode: approved.orderCode,
          status: approved.status,
          fulfillmentRecordsQueued: approved.enqueuedRecordIds.length,
          activation: {
            type: approved.activation.type,
            scheduledAt: approved.activation.at?.toISOString() ?? null,
            timeZone: approved.activation.timeZone,
          },
        }),
      );
    });

    // Seed 004: rejected in the operator's system; the records are cancelled, what was paid refunded
    // and the customer told why, as when ops reject in the back office.
    scope.post('/orders/:id/reject', async (request, reply) => {
      const { id } = parse(provisionParams, request.params);
      const body = parse(rejectBody, jsonBody(request));
      const rejectedBy = body.rejectedBy ?? 'operator-api';
      const rejected = await rejectOrder(
        { ...payments, em: orm.em },
        id,
        { type: 'api', id: rejectedBy },
        { reason: body.reason, decidedBy: rejectedBy, portalUrl },
      );
      return reply.code(200).send(
        provisionRejected.parse({
          orderId: rejected.orderId,
          orderCode: rejected.orderCode,
          status: 'cancelled',
          refunds: rejected.refunds.map((refund) => ({
            id: refund.id,
            amountMinor: refund.amountMinor,
            currency: refund.currency,
            destination: refund.destination,
            status: refund.status,
          })),
        }),
      );
    });
  };
}

/** The signed raw body, read as every JSON body is (strict UTF-8, no NUL or control characters). */
function jsonBody(request: FastifyRequest): unknown {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  if (!raw.toString('utf8').trim()) return {};
  return parseJsonStrict(raw);
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Every problem, each by its field, so an operator's system can fix a call in one go.
    const problems = result.error.issues.map(
      (issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`,
    );
    throw new ValidationError(problems.join('; ') || 'The body is not valid.');
  }
  return result.data;
}
