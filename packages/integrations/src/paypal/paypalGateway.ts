import {
  type CheckoutSession,
  type CheckoutSessionInput,
  type Clock,
  type NormalizedPaymentEvent,
  type PaymentGateway,
  PermanentError,
  type RefundInput,
  type RefundResult,
  type WebhookHeaders,
  WebhookVerificationError,
} from '@handover/core';
import { z } from 'zod';
import { parseJsonObject, requireHeader } from '../payments/webhookHeaders';
import { toPayPalValue } from './amount';
import { type PayPalGatewayConfig, paypalGatewayConfigSchema } from './config';
import { normalizePayPalEvent, paypalEventSchema } from './normalize';
import { PayPalClient } from './paypalClient';

const link = z.object({ href: z.url(), rel: z.string() });
const createdOrder = z.object({ id: z.string(), status: z.string(), links: z.array(link) });
const captureSchema = z.object({ id: z.string(), status: z.string() });
const capturedOrder = z.object({
  id: z.string(),
  status: z.string(),
  purchase_units: z.array(z.object({ payments: z.object({ captures: z.array(captureSchema) }).optional() })),
});
const refundAnswer = z.object({ id: z.string(), status: z.string() });
const verification = z.object({ verification_status: z.enum(['SUCCESS', 'FAILURE']) });

/**
 * PayPal Orders v2 over its REST API: the customer approves on PayPal, the webhook says so, and
 * capture() takes the money. Webhooks are checked by PayPal's verify-webhook-signature call.
 */
export class PayPalGateway implements PaymentGateway {
  readonly name = 'paypal' as const;
  private readonly client: PayPalClient;
  private readonly config: z.output<typeof paypalGatewayConfigSchema>;

  constructor(config: PayPalGatewayConfig, deps: { clock?: Clock } = {}) {
    this.config = paypalGatewayConfigSchema.parse(config);
    this.client = new PayPalClient({ ...this.config, ...deps });
  }

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    if (input.recurring) {
      throw new PermanentError(
        'PayPal is set up for one-time orders only; recurring products need another gateway',
        'unsupported',
      );
    }
    const currency = input.currency.toUpperCase();
    const order = await this.client.request({
      method: 'POST',
      path: '/v2/checkout/orders',
      idempotencyKey: input.idempotencyKey,
      body: {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: input.pendingOrderId,
            custom_id: input.pendingOrderId,
            description: input.lineItems
              .map((i) => `${i.quantity} × ${i.name}`)
              .join(', ')
              .slice(0, 127),
            amount: { currency_code: currency, value: toPayPalValue(input.amountMinor, currency) },
          },
        ],
        payment_source: {
          paypal: {
            email_address: input.customerEmail,
            experience_context: {
              brand_name: this.config.brandName,
              shipping_preference: 'NO_SHIPPING',
              user_action: 'PAY_NOW',
              return_url: input.successUrl,
              cancel_url: input.cancelUrl,
            },
          },
        },
      },
      response: createdOrder,
    });
    const approve = order.links.find((l) => l.rel === 'payer-action' || l.rel === 'approve');
    if (!approve)
      throw new PermanentError(`paypal order ${order.id} came back without an approval link`, 'invalid_response');
    return { sessionId: order.id, redirectUrl: approve.href };
  }

  async capture(
    orderId: string,
    idempotencyKey: string,
  ): Promise<{ paymentId: string; status: 'completed' | 'pending' }> {
    let order: z.output<typeof capturedOrder>;
    try {
      order = await this.client.request({
        method: 'POST',
        path: `/v2/checkout/orders/${encodeURIComponent(orderId)}/capture`,
        idempotencyKey,
        body: {},
        response: capturedOrder,
      });
    } catch (error) {
      // A capture that went through before (another worker, a lost answer) is refused with 422;
      // the order then already holds the capture, which is read back rather than repeated.
      if (!(error instanceof PermanentError) || error.options.httpStatus !== 422) throw error;
      order = await this.client.request({
        method: 'GET',
        path: `/v2/checkout/orders/${encodeURIComponent(orderId)}`,
        response: capturedOrder,
      });
      if (order.status !== 'COMPLETED') throw error;
    }
    const capture = order.purchase_units[0]?.payments?.captures[0];
    if (!capture) throw new PermanentError(`paypal order ${orderId} has no capture`, 'invalid_response');
    return { paymentId: capture.id, status: capture.status === 'COMPLETED' ? 'completed' : 'pending' };
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Record<string, unknown>> {
    const transmission = {
      auth_algo: requireHeader(headers, 'PAYPAL-AUTH-ALGO'),
      cert_url: requireHeader(headers, 'PAYPAL-CERT-URL'),
      transmission_id: requireHeader(headers, 'PAYPAL-TRANSMISSION-ID'),
      transmission_sig: requireHeader(headers, 'PAYPAL-TRANSMISSION-SIG'),
      transmission_time: requireHeader(headers, 'PAYPAL-TRANSMISSION-TIME'),
    };
    const event = parseJsonObject(rawBody);
    // PayPal answers whether it signed this; if PayPal cannot be asked, the error stays transient
    // so the delivery is retried rather than refused.
    let answer: z.output<typeof verification>;
    try {
      answer = await this.client.request({
        method: 'POST',
        path: '/v1/notifications/verify-webhook-signature',
        body: { ...transmission, webhook_id: this.config.webhookId, webhook_event: event },
        response: verification,
      });
    } catch (error) {
      // PayPal refusing to check (a 4xx: forged or malformed transmission headers) is a refusal of
      // the delivery, not our failure; its own words stay in the log, never in the answer.
      if (error instanceof PermanentError) {
        throw new WebhookVerificationError(
          `paypal refused to verify the delivery (${error.options.httpStatus ?? error.code})`,
        );
      }
      throw error;
    }
    if (answer.verification_status !== 'SUCCESS') throw new WebhookVerificationError('paypal signature refused');
    if (!paypalEventSchema.safeParse(event).success)
      throw new WebhookVerificationError('paypal event is not as documented');
    return event;
  }

  normalizeWebhookPayload(payload: Record<string, unknown>): NormalizedPaymentEvent {
    return normalizePayPalEvent(payload);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const currency = input.currency.toUpperCase();
    const refund = await this.client.request({
      method: 'POST',
      path: `/v2/payments/captures/${encodeURIComponent(input.paymentId)}/refund`,
      idempotencyKey: input.idempotencyKey,
      body: {
        amount: { currency_code: currency, value: toPayPalValue(input.amountMinor, currency) },
        ...(input.reason ? { note_to_payer: input.reason.slice(0, 255) } : {}),
      },
      response: refundAnswer,
    });
    const status = refund.status === 'COMPLETED' ? 'succeeded' : refund.status === 'PENDING' ? 'pending' : 'failed';
    return { refundId: refund.id, status };
  }

  /** Seed 003 §7.3: asks PayPal for an access token with our client id and secret; changes nothing. */
  async testConnection(): Promise<{ ok: boolean; message: string }> {
    await this.client.checkCredentials();
    return { ok: true, message: `PayPal at ${this.config.apiUrl} gave an access token for our client id and secret.` };
  }
}
