import type { NormalizedPaymentEvent } from '@handover/core';
import { z } from 'zod';
import { PENDING_ORDER_ID_KEY } from '../payments/metadata';
import { parsePayload } from '../payments/parsePayload';

/** Dodo's body has no event id: verifyWebhook adds the Standard Webhooks message id under this key. */
export const WEBHOOK_ID_KEY = 'webhook_id';

export const dodoEventSchema = z.object({
  [WEBHOOK_ID_KEY]: z.string().min(1),
  type: z.string(),
  timestamp: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
const payment = z.object({
  payment_id: z.string(),
  total_amount: z.number().int(),
  currency: z.string(),
  metadata: z.record(z.string(), z.string()).default({}),
  subscription_id: z.string().nullish(),
  checkout_session_id: z.string().nullish(),
  customer: z.object({ customer_id: z.string() }).optional(),
  error_message: z.string().nullish(),
});
const refund = z.object({
  refund_id: z.string(),
  payment_id: z.string(),
  amount: z.number().int().nullish(),
  currency: z.string().nullish(),
});
const subscription = z.object({ subscription_id: z.string() });

/**
 * Maps a verified Dodo event to ours. Money is reported by payment events: the one from checkout
 * carries our metadata; a later payment on a subscription (no checkout session) is a renewal, so
 * subscription.renewed, which names no payment, is recorded and otherwise ignored.
 */
export function normalizeDodoEvent(payload: Record<string, unknown>): NormalizedPaymentEvent {
  const e = parsePayload('dodo', 'event', dodoEventSchema, payload);
  const base = {
    gateway: 'dodo' as const,
    eventId: e[WEBHOOK_ID_KEY],
    occurredAt: new Date(e.timestamp),
    raw: payload,
  };
  const read = <S extends z.ZodType>(schema: S) => parsePayload('dodo', e.type, schema, e.data);

  switch (e.type) {
    case 'payment.succeeded': {
      const p = read(payment);
      if (p.subscription_id && !p.checkout_session_id) {
        return {
          ...base,
          type: 'subscription.renewed',
          subscriptionId: p.subscription_id,
          paymentId: p.payment_id,
          amountMinor: p.total_amount,
          currency: p.currency,
        };
      }
      const pendingOrderId = p.metadata[PENDING_ORDER_ID_KEY];
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.type };
      return {
        ...base,
        type: 'payment.succeeded',
        pendingOrderId,
        paymentId: p.payment_id,
        amountMinor: p.total_amount,
        currency: p.currency,
        ...(p.subscription_id ? { subscriptionId: p.subscription_id } : {}),
        ...(p.customer ? { customerId: p.customer.customer_id } : {}),
      };
    }
    case 'payment.failed': {
      const p = read(payment);
      const pendingOrderId = p.metadata[PENDING_ORDER_ID_KEY];
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.type };
      return { ...base, type: 'payment.failed', pendingOrderId, reason: p.error_message ?? 'payment failed' };
    }
    case 'refund.succeeded': {
      const r = read(refund);
      if (r.amount == null || !r.currency) return { ...base, type: 'ignored', gatewayType: e.type };
      return {
        ...base,
        type: 'refund.succeeded',
        paymentId: r.payment_id,
        refundId: r.refund_id,
        amountMinor: r.amount,
        currency: r.currency,
      };
    }
    case 'subscription.cancelled':
    case 'subscription.expired':
      return { ...base, type: 'subscription.cancelled', subscriptionId: read(subscription).subscription_id };
    default:
      return { ...base, type: 'ignored', gatewayType: e.type };
  }
}
