import {
  type CheckoutSession,
  type CheckoutSessionInput,
  type NormalizedPaymentEvent,
  type PaymentGateway,
  PermanentError,
  type RefundInput,
  type RefundResult,
  redact,
  reportProviderCall,
  TransientError,
  type WebhookHeaders,
  WebhookVerificationError,
} from '@handover/core';
import DodoPayments from 'dodopayments';
import { Webhook } from 'standardwebhooks';
import { z } from 'zod';
import { lineItemsTotal, PENDING_ORDER_ID_KEY } from '../payments/metadata';
import { parseJsonObject, requireHeader } from '../payments/webhookHeaders';
import { type DodoGatewayConfig, dodoGatewayConfigSchema } from './config';
import { dodoEventSchema, normalizeDodoEvent, WEBHOOK_ID_KEY } from './normalize';

const productAnswer = z.object({ product_id: z.string() });
const sessionAnswer = z.object({ session_id: z.string(), checkout_url: z.url() });
const paymentAnswer = z.object({
  payment_id: z.string(),
  total_amount: z.number().int(),
  product_cart: z.array(z.object({ product_id: z.string() })).nullish(),
});
const refundAnswer = z.object({ refund_id: z.string(), status: z.string() });

const INTERVALS = { month: 'Month', year: 'Year' } as const;

/**
 * Dodo Payments through its official SDK. Dodo sells products, so each distinct price is created
 * as a Dodo product once (and remembered) before the checkout session that sells it.
 */
export class DodoGateway implements PaymentGateway {
  readonly name = 'dodo' as const;
  private readonly dodo: DodoPayments;
  private readonly config: z.output<typeof dodoGatewayConfigSchema>;
  private readonly webhook: Webhook;
  private readonly products = new Map<string, Promise<string>>();

  constructor(config: DodoGatewayConfig) {
    this.config = dodoGatewayConfigSchema.parse(config);
    this.dodo = new DodoPayments({
      bearerToken: this.config.apiKey,
      baseURL: this.config.apiUrl,
      timeout: this.config.timeoutMs,
      // Retries belong to the caller's job policy, which sees the classified error.
      maxRetries: 0,
      webhookKey: null,
    });
    this.webhook = new Webhook(this.config.webhookSecret);
  }

  async createCheckoutSession(input: CheckoutSessionInput): Promise<CheckoutSession> {
    if (lineItemsTotal(input.lineItems) !== input.amountMinor) {
      throw new PermanentError('the line items do not add up to the amount to take', 'amount_mismatch');
    }
    try {
      return await this.openSession(input, await this.productFor(input));
    } catch (error) {
      // A remembered product that Dodo no longer knows (archived, another account) is made again, once.
      if (!(error instanceof PermanentError) || error.options.httpStatus !== 404) throw error;
      this.products.clear();
      return this.openSession(input, await this.productFor(input));
    }
  }

  private async openSession(input: CheckoutSessionInput, productId: string): Promise<CheckoutSession> {
    const params: DodoPayments.CheckoutSessionCreateParams = {
      product_cart: [{ product_id: productId, quantity: 1 }],
      customer: { email: input.customerEmail },
      return_url: input.successUrl,
      cancel_url: input.cancelUrl,
      metadata: { [PENDING_ORDER_ID_KEY]: input.pendingOrderId },
      ...(input.recurring?.trialDays ? { subscription_data: { trial_period_days: input.recurring.trialDays } } : {}),
    };
    const session = await this.call('POST', '/checkouts', params, sessionAnswer, () =>
      this.dodo.checkoutSessions.create(params),
    );
    return { sessionId: session.session_id, redirectUrl: session.checkout_url };
  }

  async verifyWebhook(rawBody: Buffer, headers: WebhookHeaders): Promise<Record<string, unknown>> {
    const signed = {
      'webhook-id': requireHeader(headers, 'webhook-id'),
      'webhook-timestamp': requireHeader(headers, 'webhook-timestamp'),
      'webhook-signature': requireHeader(headers, 'webhook-signature'),
    };
    try {
      // Checks the signature and a timestamp within five minutes either way.
      this.webhook.verify(rawBody.toString('utf8'), signed);
    } catch (error) {
      throw new WebhookVerificationError(`dodo signature refused: ${(error as Error).message}`);
    }
    const event = { ...parseJsonObject(rawBody), [WEBHOOK_ID_KEY]: signed['webhook-id'] };
    if (!dodoEventSchema.safeParse(event).success)
      throw new WebhookVerificationError('dodo event is not as documented');
    return event;
  }

  normalizeWebhookPayload(payload: Record<string, unknown>): NormalizedPaymentEvent {
    return normalizeDodoEvent(payload);
  }

  async refund(input: RefundInput): Promise<RefundResult> {
    const payment = await this.call('GET', `/payments/${input.paymentId}`, null, paymentAnswer, () =>
      this.dodo.payments.retrieve(input.paymentId),
    );
    const productId = payment.product_cart?.[0]?.product_id;
    // Dodo refunds a whole payment without items; a partial refund names the item and its amount.
    const partial = input.amountMinor < payment.total_amount;
    if (partial && !productId)
      throw new PermanentError(`dodo payment ${input.paymentId} has no item to refund`, 'not_refundable');
    const params: DodoPayments.RefundCreateParams = {
      payment_id: input.paymentId,
      ...(partial && productId ? { items: [{ item_id: productId, amount: input.amountMinor }] } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
    };
    const refund = await this.call('POST', '/refunds', params, refundAnswer, () => this.dodo.refunds.create(params));
    const status = refund.status === 'succeeded' ? 'succeeded' : refund.status === 'pending' ? 'pending' : 'failed';
    return { refundId: refund.refund_id, status };
  }

  /** Seed 003 §7.3: lists a page of products, which needs the API key and changes nothing. */
  async testConnection(): Promise<{ ok: boolean; message: string }> {
    const page = await this.call('GET', '/products', null, z.object({ items: z.array(z.unknown()) }), async () => {
      const first = await this.dodo.products.list({ page_size: 1 });
      return { items: first.items };
    });
    return {
      ok: true,
      message: `Dodo Payments at ${this.config.apiUrl} accepted our API key (listed ${page.items.length} product(s)).`,
    };
  }

  /** The Dodo product that sells this checkout's price, created on first use. */
  private productFor(input: CheckoutSessionInput): Promise<string> {
    const currency = input.currency.toUpperCase() as DodoPayments.Currency;
    const name = input.lineItems.map((i) => (i.quantity > 1 ? `${i.quantity} × ${i.name}` : i.name)).join(', ');
    const price: DodoPayments.Price = input.recurring
      ? {
          type: 'recurring_price',
          price: input.amountMinor,
          currency,
          discount: 0,
          purchasing_power_parity: false,
          payment_frequency_count: 1,
          payment_frequency_interval: INTERVALS[input.recurring.interval],
          // Runs until cancelled: Dodo wants a length, so it is set far out.
          subscription_period_count: 10,
          subscription_period_interval: 'Year',
        }
      : { type: 'one_time_price', price: input.amountMinor, currency, discount: 0, purchasing_power_parity: false };
    const key = JSON.stringify([name, price]);
    let product = this.products.get(key);
    if (!product) {
      const params: DodoPayments.ProductCreateParams = {
        name: name.slice(0, 200),
        price,
        tax_category: this.config.taxCategory,
      };
      product = this.call('POST', '/products', params, productAnswer, () => this.dodo.products.create(params)).then(
        (p) => p.product_id,
      );
      this.products.set(key, product);
      product.catch(() => this.products.delete(key));
    }
    return product;
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
        provider: 'dodo',
        method,
        url: `${this.config.apiUrl.replace(/\/$/, '')}${path}`,
        request: request === null ? null : redact(request),
        response: redact(response),
        httpStatus,
        durationMs: Math.round(performance.now() - started),
        error,
      });
    let response: unknown;
    try {
      response = await send();
    } catch (cause) {
      const error = classifyDodoError(cause);
      const status = cause instanceof DodoPayments.APIError ? (cause.status ?? null) : null;
      record(status, cause instanceof DodoPayments.APIError ? cause.error : null, (error as Error).message);
      throw error;
    }
    const parsed = schema.safeParse(response);
    if (!parsed.success) {
      record(200, response, 'unexpected answer');
      throw new PermanentError(`dodo answered ${method} ${path} with an unexpected body`, 'invalid_response', {
        cause: parsed.error,
      });
    }
    record(200, response, null);
    return parsed.data;
  }
}

function classifyDodoError(error: unknown): unknown {
  if (!(error instanceof DodoPayments.APIError)) return error;
  const status = error.status;
  if (error instanceof DodoPayments.APIConnectionError || status === undefined) {
    return new TransientError(`dodo could not be reached: ${error.message}`, 'network_error', { cause: error });
  }
  const message = `dodo answered ${error.message}`;
  if (status === 429) return new TransientError(message, 'rate_limited', { httpStatus: status, cause: error });
  if (status === 408 || status >= 500) {
    return new TransientError(message, 'provider_unavailable', { httpStatus: status, cause: error });
  }
  const code = status === 401 || status === 403 ? 'unauthorized' : status === 409 ? 'conflict' : 'rejected';
  return new PermanentError(message, code, { httpStatus: status, cause: error });
}
