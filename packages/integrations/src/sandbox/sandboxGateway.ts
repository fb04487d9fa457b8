import {
  type CancelSubscriptionInput,
  type CheckoutSession,
  type CheckoutSessionInput,
  type Clock,
  type NormalizedPaymentEvent,
  type PaymentGateway,
  PermanentError,
  type RefundInput,
  type RefundResult,
  systemClock,
  type WebhookHeaders,
  WebhookVerificationError,
} from '@handover/core';
import { z } from 'zod';
import { JsonClient } from '../http/jsonClient';
import { lineItemsTotal } from '../payments/metadata';
import { parsePayload } from '../payments/parsePayload';
import { parseJsonObject, requireHeader } from '../payments/webhookHeaders';
import { type SandboxGatewayConfig, sandboxGatewayConfigSchema } from './config';
import { checkSandboxSignature, SANDBOX_SIGNATURE_HEADER } from './signature';

const sessionAnswer = z.object({ id: z.string(), url: z.url(), expires_at: z.iso.datetime({ offset: true }) });
const refundAnswer = z.object({ id: z.string(), status: z.enum(['succeeded', 'pending', 'failed']) });
const event = z.object({
  id: z.string().min(1),
  type: z.string(),
  created_at: z.iso.datetime({ offset: true }),
  data: z.record(z.string(), z.unknown()),
});
const money = { amount_minor: z.number().int(), currency: z.string() };
const dataOf = {
  'payment.succeeded': z.object({
    reference: z.string(),
    payment_id: z.string(),
    subscription_id: z.string().nullable(),
    ...money,
  }),
  'payment.failed': z.object({ reference: z.string(), reason: z.string() }),
  'checkout.expired': z.object({ reference: z.string() }),
  'refund.succeeded': z.object({ refund_id: z.string(), payment_id: z.string(), ...money }),
  'subscription.renewed': z.object({ subscription_id: z.string(), payment_id: z.string(), ...money }),
  'subscription.cancelled': z.object({ subscription_id: z.string() }),
  'subscription.payment_failed': z.object({ subscription_id: z.string(), reason: z.string() }),
};
const subscriptionAnswer = z.object({
  id: z.string(),
  status: z.string(),
  cancel_at_period_end: z.boolean(),
  current_period_end: z.iso.datetime({ offset: true }),
});

/** Handover's own dev and test gateway, served by the sandbox: a real HTTP round trip with no vendor behind it. */
export class SandboxGateway implements PaymentGateway {
  readonly name = 'sandbox' as const;
  private readonly client: JsonClient;
  private readonly config: z.output<typeof sandboxGatewayConfigSchema>;

  constructor(
    config: SandboxGatewayConfig,
    private readonly deps: { clock?: Clock } = {},
  ) {
    this.config = sandboxGatewayConfigSchema.parse(config);
    this.client = new JsonClient({
      provider: 'sandbox-gateway',
      baseUrl: this.config.apiUrl,
      timeoutMs: this.config.timeoutMs,
      idempotencyHeader: 'Idempotency-Key',
      headers: () => ({ authorization: `Bearer ${this.config.secret}` }),
    });
  }

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    if (lineItemsTotal(input.lineItems) !== input.amountMinor) {
      throw new PermanentError('the line items do not add up to the amount to take', 'amount_mismatch');
    }
    const session = await this.client.request({
      method: 'POST',
      path: '/api/sessions',
      idempotencyKey: input.idempotencyKey,
      body: {
        reference: input.pendingOrderId,
        customer_email: input.customerEmail,
        currency: input.currency.toUpperCase(),
        amount_minor: input.amountMinor,
        description: input.lineItems.map((i) => `${i.quantity} × ${i.name}`).join(', '),
        success_url: input.successUrl,
        cancel_url: input.cancelUrl,
        ...(input.recurring ? { recurring: { interval: input.recurring.interval } } : {}),
      },
      response: sessionAnswer,
    });
    return { sessionId: session.id, redirectUrl: session.url, expiresAt: new Date(session.expires_at) };
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Record<string, unknown>> {
    const header = requireHeader(headers, SANDBOX_SIGNATURE_HEADER);
    const now = (this.deps.clock ?? systemClock).now();
    const problem = checkSandboxSignature(
      header,
      rawBody,
      this.config.secret,
      now,
      this.config.webhookToleranceSeconds,
    );
    if (problem) throw new WebhookVerificationError(`sandbox signature refused: ${problem}`);
    const payload = parseJsonObject(rawBody);
    if (!event.safeParse(payload).success) throw new WebhookVerificationError('sandbox event is not as documented');
    return payload;
  }

  normalizeWebhookPayload(payload: Record<string, unknown>): NormalizedPaymentEvent {
    const e = parsePayload('sandbox', 'event', event, payload);
    const base = { gateway: 'sandbox' as const, eventId: e.id, occurredAt: new Date(e.created_at), raw: payload };
    const read = <S extends z.ZodType>(schema: S) => parsePayload('sandbox', e.type, schema, e.data);
    switch (e.type) {
      case 'payment.succeeded': {
        const d = read(dataOf['payment.succeeded']);
        return {
          ...base,
          type: 'payment.succeeded',
          pendingOrderId: d.reference,
          paymentId: d.payment_id,
          amountMinor: d.amount_minor,
          currency: d.currency,
          ...(d.subscription_id ? { subscriptionId: d.subscription_id } : {}),
        };
      }
      case 'payment.failed': {
        const d = read(dataOf['payment.failed']);
        return { ...base, type: 'payment.failed', pendingOrderId: d.reference, reason: d.reason };
      }
      case 'checkout.expired':
        return { ...base, type: 'checkout.expired', pendingOrderId: read(dataOf['checkout.expired']).reference };
      case 'refund.succeeded': {
        const d = read(dataOf['refund.succeeded']);
        const { refund_id: refundId, payment_id: paymentId, amount_minor: amountMinor, currency } = d;
        return { ...base, type: 'refund.succeeded', refundId, paymentId, amountMinor, currency };
      }
      case 'subscription.renewed': {
        const d = read(dataOf['subscription.renewed']);
        const { subscription_id: subscriptionId, payment_id: paymentId, amount_minor: amountMinor, currency } = d;
        return { ...base, type: 'subscription.renewed', subscriptionId, paymentId, amountMinor, currency };
      }
      case 'subscription.cancelled':
        return {
          ...base,
          type: 'subscription.cancelled',
          subscriptionId: read(dataOf['subscription.cancelled']).subscription_id,
        };
      case 'subscription.payment_failed': {
        const d = read(dataOf['subscription.payment_failed']);
        return { ...base, type: 'subscription.payment_failed', subscriptionId: d.subscription_id, reason: d.reason };
      }
      default:
        return { ...base, type: 'ignored', gatewayType: e.type };
    }
  }

  /** Stops the renewals; the sandbox ends the subscription when its period does (its control route). */
  async cancelSubscription(input: CancelSubscriptionInput): Promise<{ currentPeriodEnd: Date | null }> {
    const subscription = await this.client.request({
      method: 'POST',
      path: `/api/subscriptions/${encodeURIComponent(input.subscriptionId)}/cancel`,
      idempotencyKey: input.idempotencyKey,
      body: { at_period_end: true },
      response: subscriptionAnswer,
    });
    return { currentPeriodEnd: new Date(subscription.current_period_end) };
  }

  async testConnection(): Promise<{ ok: boolean; message: string }> {
    await this.client.request({ method: 'GET', path: '/api/account', response: z.object({ account: z.string() }) });
    return { ok: true, message: `The sandbox gateway at ${this.config.apiUrl} accepted our secret.` };
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const refund = await this.client.request({
      method: 'POST',
      path: '/api/refunds',
      idempotencyKey: input.idempotencyKey,
      body: { payment_id: input.paymentId, amount_minor: input.amountMinor },
      response: refundAnswer,
    });
    return { refundId: refund.id, status: refund.status };
  }
}
