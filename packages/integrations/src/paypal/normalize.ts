import type { NormalizedPaymentEvent } from '@handover/core';
import { z } from 'zod';
import { parsePayload } from '../payments/parsePayload';
import { fromPayPalValue } from './amount';

const amount = z.object({ currency_code: z.string(), value: z.string() });
const link = z.object({ href: z.string(), rel: z.string() });
export const paypalEventSchema = z.object({
  id: z.string().min(1),
  event_type: z.string(),
  create_time: z.iso.datetime({ offset: true }),
  resource: z.record(z.string(), z.unknown()),
});
const order = z.object({
  id: z.string(),
  purchase_units: z.array(z.object({ custom_id: z.string().nullish(), reference_id: z.string().nullish() })).min(1),
});
const capture = z.object({
  id: z.string(),
  custom_id: z.string().nullish(),
  amount,
  status_details: z.object({ reason: z.string() }).optional(),
});
const refund = z.object({ id: z.string(), amount, links: z.array(link) });

/** Maps a verified PayPal event to ours; our pending order id travels as the purchase unit's custom_id. */
export function normalizePayPalEvent(payload: Record<string, unknown>): NormalizedPaymentEvent {
  const e = parsePayload('paypal', 'event', paypalEventSchema, payload);
  const base = { gateway: 'paypal' as const, eventId: e.id, occurredAt: new Date(e.create_time), raw: payload };
  const read = <S extends z.ZodType>(schema: S) => parsePayload('paypal', e.event_type, schema, e.resource);

  switch (e.event_type) {
    // The buyer approved; the money moves only when we capture.
    case 'CHECKOUT.ORDER.APPROVED': {
      const o = read(order);
      const pendingOrderId = o.purchase_units[0]?.custom_id;
      if (!pendingOrderId) return { ...base, type: 'ignored', gatewayType: e.event_type };
      return { ...base, type: 'payment.requires_capture', pendingOrderId, paymentId: o.id };
    }
    case 'PAYMENT.CAPTURE.COMPLETED': {
      const c = read(capture);
      if (!c.custom_id) return { ...base, type: 'ignored', gatewayType: e.event_type };
      return {
        ...base,
        type: 'payment.succeeded',
        pendingOrderId: c.custom_id,
        paymentId: c.id,
        amountMinor: fromPayPalValue(c.amount.value, c.amount.currency_code),
        currency: c.amount.currency_code,
      };
    }
    case 'PAYMENT.CAPTURE.DENIED':
    case 'PAYMENT.CAPTURE.DECLINED': {
      const c = read(capture);
      if (!c.custom_id) return { ...base, type: 'ignored', gatewayType: e.event_type };
      return {
        ...base,
        type: 'payment.failed',
        pendingOrderId: c.custom_id,
        reason: c.status_details?.reason ?? e.event_type,
      };
    }
    case 'PAYMENT.CAPTURE.REFUNDED': {
      const r = read(refund);
      // A refund names its capture only through its `up` link: /v2/payments/captures/{id}.
      const up = r.links.find((l) => l.rel === 'up')?.href;
      const captureId = up ? /\/v2\/payments\/captures\/([^/?#]+)/.exec(up)?.[1] : undefined;
      if (!captureId) return { ...base, type: 'ignored', gatewayType: e.event_type };
      return {
        ...base,
        type: 'refund.succeeded',
        paymentId: captureId,
        refundId: r.id,
        amountMinor: fromPayPalValue(r.amount.value, r.amount.currency_code),
        currency: r.amount.currency_code,
      };
    }
    default:
      return { ...base, type: 'ignored', gatewayType: e.event_type };
  }
}
