import { z } from 'zod';
import { FULFILLMENT_STATUSES, REFUND_DESTINATIONS } from './statuses';

// Outbound webhooks: the events an endpoint can subscribe to, the subscription form, and each
// event's payload as the endpoint receives it (Standard Webhooks: `type`, `timestamp`, `data`).
// The server documents these schemas in its OpenAPI and the worker builds payloads that pass them.

export const WEBHOOK_EVENT_TYPES = [
  'order.paid',
  'fulfillment.step_completed',
  'fulfillment.completed',
  'fulfillment.failed',
  'refund.completed',
  'subscription.renewed',
  'subscription.ended',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_LABELS: Record<WebhookEventType, string> = {
  'order.paid': 'An order was paid and placed',
  'fulfillment.step_completed': 'A step of a delivery was done',
  'fulfillment.completed': 'A delivery was completed',
  'fulfillment.failed': 'A delivery failed for good',
  'refund.completed': 'A refund went through',
  'subscription.renewed': 'A subscription was renewed',
  'subscription.ended': 'A subscription ended',
};

/** What an endpoint subscribes to: an event type, every event of a group (`subscription.*`), or `*`. */
export const WEBHOOK_EVENT_PATTERNS = [
  ...WEBHOOK_EVENT_TYPES,
  'order.*',
  'fulfillment.*',
  'refund.*',
  'subscription.*',
  '*',
] as const;
export type WebhookEventPattern = (typeof WEBHOOK_EVENT_PATTERNS)[number];

/** Whether an endpoint subscribed to `patterns` gets `type`. */
export function webhookPatternsMatch(patterns: readonly string[], type: WebhookEventType): boolean {
  const group = `${type.slice(0, type.indexOf('.'))}.*`;
  return patterns.some((pattern) => pattern === type || pattern === group || pattern === '*');
}

/** How long the previous secret still signs after a rotation, at most. */
export const MAX_WEBHOOK_SECRET_OVERLAP_HOURS = 72;

export const webhookEndpointInput = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'Enter the full address, starting with https://' })
    .max(2000, 'Use an address of at most 2000 characters'),
  description: z.string().trim().max(200).optional(),
  events: z
    .array(z.enum(WEBHOOK_EVENT_PATTERNS))
    .min(1, 'Choose at least one event')
    .transform((events) => [...new Set(events)]),
});
export type WebhookEndpointInput = z.input<typeof webhookEndpointInput>;

export const rotateWebhookSecretInput = z.object({
  id: z.uuid(),
  /** The old secret keeps signing alongside the new one for this long, so receivers can switch. */
  overlapHours: z.number().int().min(0).max(MAX_WEBHOOK_SECRET_OVERLAP_HOURS).default(24),
});

// The payloads.

const orderData = z.object({
  id: z.uuid(),
  code: z.string(),
  customerEmail: z.string(),
});

const recordData = z.object({
  id: z.uuid(),
  driver: z.string(),
  /** What the record delivers (a domain, a phone number), when it has one. */
  subject: z.string().nullable(),
  /** The product, with the subject: "Microsoft 365 email domain (shop.com)". */
  item: z.string(),
  order: z.object({ id: z.uuid(), code: z.string() }),
});

const envelope = <T extends WebhookEventType, D extends z.ZodType>(type: T, data: D) =>
  z
    .object({
      type: z.literal(type),
      /** When the event happened (ISO 8601). */
      timestamp: z.iso.datetime({ offset: true }),
      data,
    })
    .meta({ id: `webhook.${type}`, title: WEBHOOK_EVENT_LABELS[type] });

export const WEBHOOK_PAYLOADS = {
  'order.paid': envelope(
    'order.paid',
    z.object({
      order: orderData,
      paymentId: z.uuid().nullable(),
      /** How many deliveries the order starts (none while it waits for a review). */
      fulfillmentRecords: z.number().int(),
      needsReview: z.boolean(),
    }),
  ),
  'fulfillment.step_completed': envelope(
    'fulfillment.step_completed',
    z.object({ record: recordData, step: z.string() }),
  ),
  'fulfillment.completed': envelope(
    'fulfillment.completed',
    z.object({ record: recordData, status: z.enum(FULFILLMENT_STATUSES) }),
  ),
  'fulfillment.failed': envelope(
    'fulfillment.failed',
    z.object({ record: recordData, reason: z.string(), code: z.string() }),
  ),
  'refund.completed': envelope(
    'refund.completed',
    z.object({
      order: orderData,
      refund: z.object({
        id: z.uuid(),
        amountMinor: z.number().int(),
        currency: z.string(),
        destination: z.enum(REFUND_DESTINATIONS),
        reason: z.string(),
      }),
      /** The order's status after the refund: `partially_refunded` or `refunded`. */
      orderStatus: z.string(),
    }),
  ),
  'subscription.renewed': envelope(
    'subscription.renewed',
    z.object({
      order: orderData,
      /** The gateway's id of the subscription. */
      gatewaySubscriptionId: z.string(),
      amountMinor: z.number().int(),
      currency: z.string(),
    }),
  ),
  'subscription.ended': envelope(
    'subscription.ended',
    z.object({ order: orderData, subscriptionId: z.uuid(), gatewaySubscriptionId: z.string() }),
  ),
} satisfies { [T in WebhookEventType]: z.ZodType };

export type WebhookPayload<T extends WebhookEventType = WebhookEventType> = z.output<(typeof WEBHOOK_PAYLOADS)[T]>;

/** Any payload Handover sends, told apart by `type`. */
export const webhookPayloadSchema = z.discriminatedUnion('type', [
  WEBHOOK_PAYLOADS['order.paid'],
  WEBHOOK_PAYLOADS['fulfillment.step_completed'],
  WEBHOOK_PAYLOADS['fulfillment.completed'],
  WEBHOOK_PAYLOADS['fulfillment.failed'],
  WEBHOOK_PAYLOADS['refund.completed'],
  WEBHOOK_PAYLOADS['subscription.renewed'],
  WEBHOOK_PAYLOADS['subscription.ended'],
]);
