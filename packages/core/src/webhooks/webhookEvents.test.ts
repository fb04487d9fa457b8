import {
  type FulfillmentStatus,
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_PAYLOADS,
  type WebhookEventType,
} from '@handover/contracts';
import { describe, expect, it } from 'vitest';
import type { DomainEvent, RecordFacts } from '../events/domainEvents';
import { webhookEventsOf } from './webhookEvents';

const order = {
  orderId: '5b0a4a2e-8f1c-4f7a-9a57-0f2b8f0c1d01',
  orderCode: 'HO-AB12CD34',
  customerEmail: 'shop@example.com',
  userId: '0d3c8b8e-3b7e-4a55-8f4e-6f1d2c3b4a51',
};
const record: RecordFacts = {
  recordId: '9e6f3a0c-1d2b-4c3d-8e4f-5a6b7c8d9e01',
  orderId: order.orderId,
  orderCode: order.orderCode,
  customerEmail: order.customerEmail,
  userId: order.userId,
  driver: 'm365-domain',
  subject: 'shop.com',
  item: 'Microsoft 365 email domain (shop.com)',
};
const at = new Date('2026-11-20T12:00:00.000Z');
const stored = (event: DomainEvent) => ({
  id: '11111111-2222-4333-8444-555555555555',
  type: event.type,
  // As the row keeps it: JSON.
  payload: JSON.parse(JSON.stringify(event)) as Record<string, unknown>,
  createdAt: at,
});

const EVENTS: DomainEvent[] = [
  {
    type: 'order.placed',
    order,
    records: 2,
    needsReview: false,
    paymentId: '7c1f4d8e-2b3a-4c5d-9e6f-7a8b9c0d1e2f',
    amountMinor: 4900,
    currency: 'USD',
    gateway: 'stripe',
  },
  { type: 'fulfillment.step_completed', record, step: 'order_at_plugsaas' },
  { type: 'fulfillment.status_changed', record, from: 'processing', to: 'completed', reason: null, by: 'engine' },
  { type: 'fulfillment.failed', record, reason: 'PlugSaaS refused the order', code: 'plugsaas_refused' },
  {
    type: 'refund.completed',
    order,
    refund: {
      id: '3a4b5c6d-7e8f-4a0b-9c1d-2e3f4a5b6c7d',
      amountMinor: 900,
      currency: 'USD',
      destination: 'gateway',
      reason: 'duplicate',
    },
    orderStatus: 'partially_refunded',
  },
  { type: 'subscription.renewed', order, gatewaySubscriptionId: 'sub_123', amountMinor: 1900, currency: 'USD' },
  {
    type: 'subscription.ended',
    order,
    subscriptionId: '4b5c6d7e-8f9a-4b1c-8d2e-3f4a5b6c7d8e',
    gatewaySubscriptionId: 'sub_123',
  },
];

describe('webhookEventsOf', () => {
  it('turns each source event into the webhook event outside subscribers read, in the documented shape', () => {
    const out = EVENTS.flatMap((event) => webhookEventsOf(stored(event)));
    expect(out.map((event) => event.type).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    for (const event of out) {
      expect(WEBHOOK_PAYLOADS[event.type as WebhookEventType].parse(event.payload)).toEqual(event.payload);
      expect(event.ownerId).toBe(order.userId);
      expect(event.payload.timestamp).toBe(at.toISOString());
    }
  });

  it('counts a record delivered once: reaching completed or active, not completed to active or a reactivation', () => {
    const change = (from: FulfillmentStatus, to: FulfillmentStatus) =>
      webhookEventsOf(stored({ type: 'fulfillment.status_changed', record, from, to, reason: null, by: 'engine' }));
    expect(change('processing', 'active')).toHaveLength(1);
    expect(change('manual_pending', 'completed')).toHaveLength(1);
    expect(change('completed', 'active')).toEqual([]);
    expect(change('suspended', 'active')).toEqual([]);
    expect(change('processing', 'failed')).toEqual([]);
  });

  it('tells outsiders nothing of events they do not subscribe to', () => {
    expect(
      webhookEventsOf(
        stored({
          type: 'wallet.topped_up',
          userId: order.userId,
          pendingOrderId: order.orderId,
          amountMinor: 100,
          currency: 'GHS',
          balanceAfterMinor: 100,
        }),
      ),
    ).toEqual([]);
  });
});
