import type { PaymentGatewayName } from '@handover/contracts';

/** What a gateway needs to take a payment for a pending order. */
export interface CheckoutSessionInput {
  /** Our reference; the gateway echoes it back in its webhooks (metadata, custom_id, ...). */
  pendingOrderId: string;
  customerEmail: string;
  currency: string;
  lineItems: { name: string; quantity: number; unitAmountMinor: number }[];
  amountMinor: number;
  /** Where the customer lands after paying, or after giving up. */
  successUrl: string;
  cancelUrl: string;
  /** Set for subscription products. */
  recurring?: { interval: 'month' | 'year'; trialDays?: number };
  /** Same key on a retried call: the gateway must not open a second session. */
  idempotencyKey: string;
}

export interface CheckoutSession {
  /** The gateway's id for the session (Stripe `cs_...`, PayPal order id, ...). */
  sessionId: string;
  /** Send the customer here to pay. */
  redirectUrl: string;
  expiresAt?: Date;
}

/**
 * A gateway event in our terms. `pendingOrderId` ties it to our checkout; `paymentId` is the
 * gateway's id of the money movement (used for refunds).
 */
export type NormalizedPaymentEvent = {
  gateway: PaymentGatewayName;
  eventId: string;
  occurredAt: Date;
  /** The verified payload, kept in the inbox for audit. */
  raw: Record<string, unknown>;
} & (
  | {
      type: 'payment.succeeded';
      pendingOrderId: string;
      paymentId: string;
      amountMinor: number;
      currency: string;
      subscriptionId?: string;
      customerId?: string;
    }
  /** Approved by the customer but not yet captured (PayPal): the processor calls `capture`. */
  | { type: 'payment.requires_capture'; pendingOrderId: string; paymentId: string }
  | { type: 'payment.failed'; pendingOrderId: string; reason: string }
  | { type: 'checkout.expired'; pendingOrderId: string }
  | { type: 'refund.succeeded'; paymentId: string; refundId: string; amountMinor: number; currency: string }
  | { type: 'subscription.renewed'; subscriptionId: string; paymentId: string; amountMinor: number; currency: string }
  | { type: 'subscription.cancelled'; subscriptionId: string }
  /** A renewal could not be charged (seed 003: the grace period starts). */
  | { type: 'subscription.payment_failed'; subscriptionId: string; reason: string }
  /** A verified event we have no use for; recorded and otherwise ignored. */
  | { type: 'ignored'; gatewayType: string }
);

export type NormalizedPaymentEventType = NormalizedPaymentEvent['type'];

export interface RefundInput {
  paymentId: string;
  amountMinor: number;
  currency: string;
  reason?: string;
  idempotencyKey: string;
}

export interface RefundResult {
  refundId: string;
  status: 'succeeded' | 'pending' | 'failed';
}

/** Headers as Node gives them. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** Thrown by verifyWebhook for an unsigned, forged, expired or unreadable delivery (answered 400). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
}

/** Seed 003's PaymentGatewayInterface. One implementation per gateway in packages/integrations. */
export interface PaymentGateway {
  name: PaymentGatewayName;
  createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession>;
  /** Checks the signature over the raw body; returns the verified payload or throws WebhookVerificationError. */
  verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Record<string, unknown>>;
  normalizeWebhookPayload(payload: Record<string, unknown>): NormalizedPaymentEvent;
  refund(input: RefundInput): Promise<RefundResult>;
  /** Gateways that authorise first and capture later (PayPal Orders v2). */
  capture?(paymentId: string, idempotencyKey: string): Promise<{ paymentId: string; status: 'completed' | 'pending' }>;
  /**
   * Seed 003 "cancel at period end": the subscription stops renewing and ends (its
   * `subscription.cancelled` event) when the period paid for does. Gateways without
   * subscriptions leave it out.
   */
  cancelSubscription?(input: CancelSubscriptionInput): Promise<{ currentPeriodEnd: Date | null }>;
  /** Seed 003 §7.3 "Test payment gateway connection": an authenticated call that changes nothing. */
  testConnection?(): Promise<{ ok: boolean; message: string }>;
}

export interface CancelSubscriptionInput {
  /** The gateway's id of the subscription. */
  subscriptionId: string;
  idempotencyKey: string;
}
