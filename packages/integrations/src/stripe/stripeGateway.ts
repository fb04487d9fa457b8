import {
  type CheckoutSession,
  type CheckoutSessionInput,
  type Clock,
  type NormalizedPaymentEvent,
  type PaymentGateway,
  PermanentError,
  type RefundInput,
  type RefundResult,
  redact,
  reportProviderCall,
  systemClock,
  type WebhookHeaders,
  WebhookVerificationError,
} from '@handover/core';
import Stripe from 'stripe';
import { z } from 'zod';
import { lineItemsTotal, PENDING_ORDER_ID_KEY } from '../payments/metadata';
import { requireHeader } from '../payments/webhookHeaders';
import { type StripeGatewayConfig, stripeGatewayConfigSchema } from './config';
import { classifyStripeError } from './errors';
import { normalizeStripeEvent, stripeEventSchema } from './normalize';

const sessionResponse = z.object({ id: z.string(), url: z.url(), expires_at: z.number().int() });
const refundResponse = z.object({ id: z.string(), status: z.string().nullable() });
const invoicePaymentsResponse = z.object({
  data: z.array(z.object({ status: z.string(), payment: z.object({ payment_intent: z.string().optional() }) })),
});

/** Stripe Checkout through the official SDK; the SDK's host, port and protocol come from `apiUrl`. */
export class StripeGateway implements PaymentGateway {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly config: z.output<typeof stripeGatewayConfigSchema>;

  constructor(
    config: StripeGatewayConfig,
    private readonly deps: { clock?: Clock } = {},
  ) {
    this.config = stripeGatewayConfigSchema.parse(config);
    const api = new URL(this.config.apiUrl);
    this.stripe = new Stripe(this.config.secretKey, {
      host: api.hostname,
      port: api.port || (api.protocol === 'http:' ? 80 : 443),
      protocol: api.protocol === 'http:' ? 'http' : 'https',
      timeout: this.config.timeoutMs,
      // Retries belong to the caller's job policy, which sees the classified error.
      maxNetworkRetries: 0,
      telemetry: false,
    });
  }

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    if (lineItemsTotal(input.lineItems) !== input.amountMinor) {
      throw new PermanentError('the line items do not add up to the amount to take', 'amount_mismatch');
    }
    const metadata = { [PENDING_ORDER_ID_KEY]: input.pendingOrderId };
    const currency = input.currency.toLowerCase();
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: input.recurring ? 'subscription' : 'payment',
      client_reference_id: input.pendingOrderId,
      customer_email: input.customerEmail,
      success_url: input.successUrl,
      cancel_url: input.cancelUrl,
      metadata,
      line_items: input.lineItems.map((item) => ({
        quantity: item.quantity,
        price_data: {
          currency,
          unit_amount: item.unitAmountMinor,
          product_data: { name: item.name },
          ...(input.recurring ? { recurring: { interval: input.recurring.interval } } : {}),
        },
      })),
      ...(input.recurring
        ? {
            subscription_data: {
              metadata,
              ...(input.recurring.trialDays ? { trial_period_days: input.recurring.trialDays } : {}),
            },
          }
        : { payment_intent_data: { metadata } }),
    };
    const session = await this.call('POST', '/v1/checkout/sessions', params, sessionResponse, () =>
      this.stripe.checkout.sessions.create(params, { idempotencyKey: input.idempotencyKey }),
    );
    return { sessionId: session.id, redirectUrl: session.url, expiresAt: new Date(session.expires_at * 1000) };
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Record<string, unknown>> {
    const signature = requireHeader(headers, 'Stripe-Signature');
    // The SDK takes the receipt time in milliseconds.
    const receivedAt = (this.deps.clock ?? systemClock).now().getTime();
    let event: unknown;
    try {
      event = this.stripe.webhooks.constructEvent(
        rawBody,
        signature,
        this.config.webhookSecret,
        this.config.webhookToleranceSeconds,
        undefined,
        receivedAt,
      );
    } catch (error) {
      throw new WebhookVerificationError(`stripe signature refused: ${(error as Error).message}`);
    }
    // The SDK refuses a timestamp older than the tolerance but not one ahead of it: a signature
    // dated in the future would otherwise stay replayable until that future and past it.
    const signedAt = Number(/(?:^|,)\s*t=(\d{1,12})(?:,|$)/.exec(signature)?.[1] ?? Number.NaN);
    if (!(signedAt * 1000 <= receivedAt + this.config.webhookToleranceSeconds * 1000)) {
      throw new WebhookVerificationError('stripe signature refused: its timestamp is ahead of our clock');
    }
    const parsed = stripeEventSchema.safeParse(event);
    if (!parsed.success) throw new WebhookVerificationError('stripe event is not as documented');
    return event as Record<string, unknown>;
  }

  normalizeWebhookPayload(payload: Record<string, unknown>): NormalizedPaymentEvent {
    return normalizeStripeEvent(payload);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const paymentIntent = input.paymentId.startsWith('in_')
      ? await this.invoicePaymentIntent(input.paymentId)
      : input.paymentId;
    const params: Stripe.RefundCreateParams = {
      payment_intent: paymentIntent,
      amount: input.amountMinor,
      reason: 'requested_by_customer',
      ...(input.reason ? { metadata: { reason: input.reason } } : {}),
    };
    const refund = await this.call('POST', '/v1/refunds', params, refundResponse, () =>
      this.stripe.refunds.create(params, { idempotencyKey: input.idempotencyKey }),
    );
    const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'pending' ? 'pending' : 'failed';
    return { refundId: refund.id, status };
  }

  /** Seed 003 §7.3: reads the account's balance, which needs the key and changes nothing. */
  async testConnection(): Promise<{ ok: boolean; message: string }> {
    await this.call('GET', '/v1/balance', null, z.object({ object: z.literal('balance') }), () =>
      this.stripe.balance.retrieve(),
    );
    return { ok: true, message: `Stripe at ${this.config.apiUrl} accepted our secret key (read the balance).` };
  }

  /** A subscription invoice is paid by a PaymentIntent; refunds go against that. */
  private async invoicePaymentIntent(invoice: string): Promise<string> {
    const params = { invoice, status: 'paid' as const, limit: 1 };
    const list = await this.call('GET', '/v1/invoice_payments', params, invoicePaymentsResponse, () =>
      this.stripe.invoicePayments.list(params),
    );
    const intent = list.data.find((p) => p.status === 'paid')?.payment.payment_intent;
    if (!intent) throw new PermanentError(`stripe invoice ${invoice} has no paid payment to refund`, 'not_refundable');
    return intent;
  }

  /** One SDK call: classified errors, a validated answer, and a redacted record for the payment log. */
  private async call<S extends z.ZodType>(
    method: string,
    path: string,
    request: unknown,
    schema: S,
    send: () => Promise<unknown>,
  ): Promise<z.output<S>> {
    const started = performance.now();
    const record = (httpStatus: number | null, response: unknown, error: string | null) =>
      reportProviderCall({
        provider: 'stripe',
        method,
        url: `${this.config.apiUrl.replace(/\/$/, '')}${path}`,
        request: redact(request),
        response: redact(response),
        httpStatus,
        durationMs: Math.round(performance.now() - started),
        error,
      });
    let response: unknown;
    try {
      response = await send();
    } catch (cause) {
      const error = classifyStripeError(cause);
      const status = cause instanceof Stripe.errors.StripeError ? (cause.statusCode ?? null) : null;
      record(status, cause instanceof Stripe.errors.StripeError ? cause.raw : null, (error as Error).message);
      throw error;
    }
    const parsed = schema.safeParse(response);
    if (!parsed.success) {
      record(200, response, 'unexpected answer');
      throw new PermanentError(`stripe answered ${method} ${path} with an unexpected body`, 'invalid_response', {
        cause: parsed.error,
      });
    }
    record(200, response, null);
    return parsed.data;
  }
}
