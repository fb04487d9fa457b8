import type { NormalizedPaymentEvent } from '@handover/core';
import { z } from 'zod';
import { PENDING_ORDER_ID_KEY } from '../payments/metadata';
import { parsePayload } from '../payments/parsePayload';

const metadata = z.record(z.string(), z.string()).default({});
const event = z.object({
  id: z.string().startsWith('evt_'),
  type: z.string(),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});
export const stripeEventSchema = event;

const session = z.object({
  id: z.string(),
  mode: z.enum(['payment', 'subscription', 'setup']),
  metadata,
  client_reference_id: z.string().nullable().optional(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: z.string().nullable(),
  subscription: z.string().nullable(),
  invoice: z.string().nullable(),
  customer: z.string().nullable(),
  amount_total: z.number().int().nullable(),
  currency: z.string().nullable(),
});
const paymentIntent = z.object({
  id: z.string(),
  metadata,
  last_payment_error: z.object({ message: z.string().optional(), code: z.string().optional() }).nullable(),
});
const refund = z.object({
  id: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  payment_intent: z.string().nullable(),
  charge: z.string().nullable(),
  status: z.string().nullable(),
});
const invoice = z.object({
  id: z.string(),
  billing_reason: z.string().nullable(),
  amount_paid: z.number().int(),
  currency: z.string(),
  parent: z
    .object({ subscription_details: z.object({ subscription: z.string() }).nullable().optional() })
    .nullable()
    .optional(),
});
const subscription = z.object({ id: z.string() });

/**
 * Maps a verified Stripe event to ours. Subscription payments are named by their invoice (`in_…`),
 * one-time payments by their PaymentIntent (`pi_…`); refund() accepts both.
 */
export function normalizeStripeEvent(payload: Record<string, unknown>): NormalizedPaymentEvent {
  const e = parsePayload('stripe', 'event', event, payload);
  const base = { gateway: 'stripe' as const, eventId: e.id, occurredAt: new Date(e.created * 1000), raw: payload };
  const object = e.data.object;
  const read = <S extends z.ZodType>(schema: S) => parsePayload('stripe', e.type, schema, object);

  switch (e.type) {
    case 'checkout.session.completed':
    case 'checkout.session.async_payment_succeeded': {
      const s = read(session);
      const pendingOrderId = s.metadata[PENDING_ORDER_ID_KEY] ?? s.client_reference_id;
      // A delayed payment method completes the session unpaid; async_payment_succeeded follows.
      if (!pendingOrderId || s.payment_status === 'unpaid') return { ...base, type: 'ignored', gatewayType: e.type };
      const paymentId = s.mode === 'subscription' ? s.invoice : s.payment_intent;
      if (!paymentId) return { ...base, type: 'ignored', gatewayType: e.type };
      return {
        ...base,
        type: 'payment.succeeded',
        pendingOrderId,
        paymentId,
        amountMinor: s.amount_total ?? 0,
        currency: (s.currency ?? '').toUpperCase(),
        ...(s.subscription ? { subscriptionId: s.subscription } : {}),
        ...(s.customer ? { customerId: s.customer } : {}),
      };
    }
    case 'checkout.session.async_payment_failed': {
      const s = read(session);
      const pendingOrderId = s.metadata[PENDING_ORDER_ID_KEY] ?? s.client_reference_id;
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.type };
      return { ...base, type: 'payment.failed', pendingOrderId, reason: 'The payment did not go through.' };
    }
    case 'checkout.session.expired': {
      const s = read(session);
      const pendingOrderId = s.metadata[PENDING_ORDER_ID_KEY] ?? s.client_reference_id;
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.type };
      return { ...base, type: 'checkout.expired', pendingOrderId };
    }
    case 'payment_intent.payment_failed': {
      const pi = read(paymentIntent);
      const pendingOrderId = pi.metadata[PENDING_ORDER_ID_KEY];
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.type };
      return {
        ...base,
        type: 'payment.failed',
        pendingOrderId,
        reason: pi.last_payment_error?.message ?? pi.last_payment_error?.code ?? 'payment failed',
      };
    }
    // Since API version 2024-10-28 refund.created names the refund; charge.refunded only says
    // the charge's refunded total changed, so it is recorded and otherwise ignored.
    case 'refund.created':
    case 'refund.updated': {
      const r = read(refund);
      const paymentId = r.payment_intent ?? r.charge;
      if (r.status !== 'succeeded' || !paymentId) return { ...base, type: 'ignored', gatewayType: e.type };
      return {
        ...base,
        type: 'refund.succeeded',
        paymentId,
        refundId: r.id,
        amountMinor: r.amount,
        currency: r.currency.toUpperCase(),
      };
    }
    case 'invoice.paid': {
      const i = read(invoice);
      const subscriptionId = i.parent?.subscription_details?.subscription;
      // The first invoice is paid through Checkout, which checkout.session.completed reports.
      if (i.billing_reason !== 'subscription_cycle' || !subscriptionId) {
        return { ...base, type: 'ignored', gatewayType: e.type };
      }
      return {
        ...base,
        type: 'subscription.renewed',
        subscriptionId,
        paymentId: i.id,
        amountMinor: i.amount_paid,
        currency: i.currency.toUpperCase(),
      };
    }
    case 'customer.subscription.deleted':
      return { ...base, type: 'subscription.cancelled', subscriptionId: read(subscription).id };
    default:
      return { ...base, type: 'ignored', gatewayType: e.type };
  }
}
