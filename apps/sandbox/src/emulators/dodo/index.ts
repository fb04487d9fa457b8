import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { displayAmount, renderHostedPage } from '../shared/hostedPage';
import { randomId, randomSecret } from '../shared/ids';
import { WebhookSender } from '../shared/webhookSender';
import {
  checkoutCreateBody,
  type ProductCreateBody,
  productCreateBody,
  refundCreateBody,
  subscriptionPatchBody,
} from './params';
import { standardWebhookHeaders } from './standardWebhooks';

/** What the Dodo Payments emulator reads from the environment: the same values the server's Dodo gateway gets. */
export const dodoEmulatorEnv = z.object({
  /** The bearer key the emulator accepts; unset, any key is accepted. */
  DODO_API_KEY: z.string().min(1).optional(),
  /** Standard Webhooks secret (`whsec_<base64>`); unset, a random one is made. */
  DODO_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
});

export interface DodoEmulatorOptions {
  apiKey?: string;
  webhookSecret?: string;
  retryDelaysMs?: number[];
  now?: () => Date;
}

type Row = Record<string, unknown>;
type Product = ProductCreateBody & { product_id: string; is_recurring: boolean; created_at: string };
interface Session {
  id: string;
  cart: { product: Product; quantity: number }[];
  customer: { email: string; name: string };
  returnUrl: string | null;
  cancelUrl: string | null;
  metadata: Record<string, string>;
  status: 'open' | 'succeeded' | 'failed';
  paymentId: string | null;
  created_at: string;
}

class DodoError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const BUSINESS_ID = 'bus_sandbox';

/**
 * Dodo Payments' API as its reference describes it, for what Handover uses: products, checkout
 * sessions (one-time and subscription), payments, refunds, subscriptions, and webhooks signed per
 * Standard Webhooks. A hosted page stands in for Dodo's checkout.
 */
export function dodoEmulator(options: DodoEmulatorOptions = {}): Emulator {
  const now = options.now ?? (() => new Date());
  const webhookSecret = options.webhookSecret ?? randomSecret('whsec_');
  const products = new Map<string, Product>();
  const sessions = new Map<string, Session>();
  const payments = new Map<
    string,
    Row & { payment_id: string; total_amount: number; refunded: number; refunds: Row[] }
  >();
  const subscriptions = new Map<string, Row & { subscription_id: string; status: string }>();
  let sender: WebhookSender | undefined;

  return {
    name: 'dodo',
    prefix: '/dodo',
    register(app, context) {
      acceptForms(app);
      const webhooks = new WebhookSender({
        path: '/webhooks/dodo',
        webhookBaseUrl: context.webhookBaseUrl,
        retryDelaysMs: options.retryDelaysMs ?? [5_000, 300_000, 1_800_000],
        logger: app.log,
        now,
      });
      sender = webhooks;
      const emit = (type: string, payloadType: string, data: Row) => {
        const id = `msg_${randomId(27)}`;
        const body = JSON.stringify({
          business_id: BUSINESS_ID,
          type,
          timestamp: now().toISOString(),
          data: { ...data, payload_type: payloadType },
        });
        webhooks.send({ id, type, body, headers: (at) => standardWebhookHeaders(webhookSecret, id, body, at) });
      };

      app.addHook('onRequest', async (request, reply) => {
        const path = request.url.replace(/^\/dodo/, '');
        if (path.startsWith('/checkout/') || path.startsWith('/_sandbox/')) return;
        const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!key || (options.apiKey !== undefined && key !== options.apiKey)) {
          return reply.code(401).send({ code: 'UNAUTHORIZED', message: 'Invalid or missing API key' });
        }
      });
      const handle =
        (act: (request: FastifyRequest) => unknown, status = 200) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            return reply.code(status).send(act(request));
          } catch (error) {
            if (error instanceof DodoError)
              return reply.code(error.status).send({ code: error.code, message: error.message });
            throw error;
          }
        };
      const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
        const result = schema.safeParse(body);
        if (!result.success) throw new DodoError(422, 'INVALID_REQUEST_BODY', z.prettifyError(result.error));
        return result.data;
      };
      const find = <T>(map: Map<string, T>, id: string, what: string): T => {
        const found = map.get(id);
        if (!found) throw new DodoError(404, 'NOT_FOUND', `${what} ${id} not found`);
        return found;
      };
      const id = (request: FastifyRequest) => (request.params as { id: string }).id;

      app.post(
        '/products',
        handle((request) => {
          const body = parse(productCreateBody, request.body);
          const product: Product = {
            ...body,
            product_id: `pdt_${randomId(21)}`,
            is_recurring: body.price.type === 'recurring_price',
            created_at: now().toISOString(),
          };
          products.set(product.product_id, product);
          return product;
        }),
      );
      // Dodo's list: `{ items }`, a page at a time (what a "test connection" reads).
      app.get(
        '/products',
        handle(() => ({ items: [...products.values()].slice(0, 10) })),
      );
      app.get(
        '/products/:id',
        handle((request) => find(products, id(request), 'Product')),
      );

      app.post(
        '/checkouts',
        handle((request) => {
          const body = parse(checkoutCreateBody, request.body);
          const cart = body.product_cart.map((item) => ({
            product: find(products, item.product_id, 'Product'),
            quantity: item.quantity,
          }));
          if (cart.filter((c) => c.product.is_recurring).length > 1) {
            throw new DodoError(422, 'INVALID_REQUEST_BODY', 'A cart may hold at most one subscription product');
          }
          const session: Session = {
            id: `cks_${randomId(21)}`,
            cart,
            customer: {
              email: body.customer?.email ?? 'buyer@example.com',
              name: body.customer?.name ?? 'Sandbox Buyer',
            },
            returnUrl: body.return_url ?? null,
            cancelUrl: body.cancel_url ?? null,
            metadata: body.metadata,
            status: 'open',
            paymentId: null,
            created_at: now().toISOString(),
          };
          sessions.set(session.id, session);
          return { session_id: session.id, checkout_url: `${context.publicUrl}/dodo/checkout/${session.id}` };
        }),
      );
      app.get(
        '/checkouts/:id',
        handle((request) => {
          const session = find(sessions, id(request), 'Checkout session');
          const payment = session.paymentId ? payments.get(session.paymentId) : undefined;
          return {
            id: session.id,
            created_at: session.created_at,
            customer_email: session.customer.email,
            customer_name: session.customer.name,
            payment_id: session.paymentId,
            payment_status: payment?.status ?? null,
          };
        }),
      );
      app.get(
        '/payments/:id',
        handle((request) => publicPayment(find(payments, id(request), 'Payment'))),
      );
      app.get(
        '/subscriptions/:id',
        handle((request) => find(subscriptions, id(request), 'Subscription')),
      );

      const newPayment = (
        session: Pick<Session, 'cart' | 'customer' | 'metadata'> & { id: string | null },
        status: 'succeeded' | 'failed',
        subscriptionId: string | null,
      ) => {
        const total = session.cart.reduce((sum, c) => sum + c.product.price.price * c.quantity, 0);
        const payment = {
          payment_id: `pay_${randomId(21)}`,
          business_id: BUSINESS_ID,
          brand_id: BUSINESS_ID,
          status,
          total_amount: total,
          settlement_amount: total,
          currency: session.cart[0]?.product.price.currency ?? 'USD',
          settlement_currency: session.cart[0]?.product.price.currency ?? 'USD',
          customer: { customer_id: `cus_${randomId(21)}`, email: session.customer.email, name: session.customer.name },
          metadata: session.metadata,
          checkout_session_id: session.id,
          subscription_id: subscriptionId,
          product_cart: session.cart.map((c) => ({ product_id: c.product.product_id, quantity: c.quantity })),
          refunds: [] as Row[],
          disputes: [],
          error_code: status === 'failed' ? 'CARD_DECLINED' : null,
          error_message: status === 'failed' ? 'The card was declined.' : null,
          created_at: now().toISOString(),
          refunded: 0,
        };
        payments.set(payment.payment_id, payment);
        return payment;
      };

      app.post(
        '/refunds',
        handle((request) => {
          const body = parse(refundCreateBody, request.body);
          const payment = find(payments, body.payment_id, 'Payment');
          if (payment.status !== 'succeeded')
            throw new DodoError(422, 'PAYMENT_NOT_SUCCEEDED', 'Only succeeded payments can be refunded');
          const remaining = payment.total_amount - payment.refunded;
          const requested = body.items?.reduce((sum, item) => sum + (item.amount ?? remaining), 0) ?? remaining;
          if (remaining === 0 || requested > remaining) {
            throw new DodoError(
              422,
              'REFUND_AMOUNT_EXCEEDED',
              `Refund of ${requested} exceeds the ${remaining} left on the payment`,
            );
          }
          payment.refunded += requested;
          const refund = {
            refund_id: `ref_${randomId(21)}`,
            payment_id: payment.payment_id,
            business_id: BUSINESS_ID,
            brand_id: BUSINESS_ID,
            amount: requested,
            currency: payment.currency,
            is_partial: requested < payment.total_amount,
            status: 'succeeded',
            reason: body.reason ?? null,
            metadata: body.metadata,
            customer: payment.customer,
            created_at: now().toISOString(),
          };
          payment.refunds.push(refund);
          emit('refund.succeeded', 'Refund', refund);
          return refund;
        }),
      );

      const renew = (subscription: Row & { subscription_id: string; status: string }) => {
        if (subscription.status !== 'active')
          throw new DodoError(422, 'SUBSCRIPTION_NOT_ACTIVE', 'The subscription is not active');
        const product = find(products, subscription.product_id as string, 'Product');
        const payment = newPayment(
          {
            id: null,
            cart: [{ product, quantity: subscription.quantity as number }],
            customer: subscription.customer as Session['customer'],
            metadata: subscription.metadata as Record<string, string>,
          },
          'succeeded',
          subscription.subscription_id,
        );
        subscription.previous_billing_date = now().toISOString();
        emit('payment.succeeded', 'Payment', publicPayment(payment));
        emit('subscription.renewed', 'Subscription', subscription);
        return publicPayment(payment);
      };
      const cancel = (subscription: Row & { subscription_id: string; status: string }) => {
        Object.assign(subscription, { status: 'cancelled', cancelled_at: now().toISOString() });
        emit('subscription.cancelled', 'Subscription', subscription);
        return subscription;
      };
      app.patch(
        '/subscriptions/:id',
        handle((request) => {
          const subscription = find(subscriptions, id(request), 'Subscription');
          const body = parse(subscriptionPatchBody, request.body);
          return body.status === 'cancelled' ? cancel(subscription) : subscription;
        }),
      );

      // The hosted checkout page.
      app.get('/checkout/:id', async (request, reply) => {
        const session = sessions.get(id(request));
        if (!session) return reply.code(404).type('text/html').send('<h1>This checkout session does not exist.</h1>');
        const rows: [string, string][] = session.cart.map((c) => [
          `${c.quantity} × ${c.product.name}${c.product.is_recurring ? ' (subscription)' : ''}`,
          displayAmount(c.product.price.price * c.quantity, c.product.price.currency),
        ]);
        rows.push(['Email', session.customer.email], ['Status', session.status]);
        const open = session.status === 'open';
        return reply.type('text/html').send(
          renderHostedPage({
            title: open ? 'Complete your purchase' : `This checkout is ${session.status}`,
            vendor: 'Dodo Payments',
            rows,
            actions: open
              ? [
                  { label: 'Pay', action: `/dodo/checkout/${session.id}/pay`, tone: 'primary' },
                  { label: 'Fail (card declined)', action: `/dodo/checkout/${session.id}/fail`, tone: 'danger' },
                  { label: 'Cancel', action: `/dodo/checkout/${session.id}/cancel`, tone: 'plain' },
                ]
              : [],
          }),
        );
      });
      const back = (url: string | null, params: Record<string, string>) => {
        if (!url) return '/';
        const target = new URL(url);
        for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
        return target.toString();
      };
      app.post('/checkout/:id/:outcome', async (request, reply) => {
        const { outcome } = request.params as { outcome: string };
        const session = sessions.get(id(request));
        if (session?.status !== 'open')
          return reply.code(409).type('text/html').send('<h1>This checkout is closed.</h1>');
        if (outcome === 'cancel')
          return reply.redirect(session.cancelUrl ?? back(session.returnUrl, { status: 'cancelled' }), 303);
        if (outcome !== 'pay' && outcome !== 'fail') return reply.code(404).send();
        const recurring = session.cart.find((c) => c.product.is_recurring);
        const subscriptionId = outcome === 'pay' && recurring ? `sub_${randomId(21)}` : null;
        const payment = newPayment(session, outcome === 'pay' ? 'succeeded' : 'failed', subscriptionId);
        session.status = payment.status as Session['status'];
        session.paymentId = payment.payment_id;
        emit(outcome === 'pay' ? 'payment.succeeded' : 'payment.failed', 'Payment', publicPayment(payment));
        if (recurring && subscriptionId) {
          const price = recurring.product.price as Extract<Product['price'], { type: 'recurring_price' }>;
          const subscription = {
            subscription_id: subscriptionId,
            business_id: BUSINESS_ID,
            status: 'active',
            product_id: recurring.product.product_id,
            quantity: recurring.quantity,
            currency: price.currency,
            recurring_pre_tax_amount: price.price,
            payment_frequency_count: price.payment_frequency_count,
            payment_frequency_interval: price.payment_frequency_interval,
            subscription_period_count: price.subscription_period_count,
            subscription_period_interval: price.subscription_period_interval,
            trial_period_days: price.trial_period_days ?? 0,
            customer: payment.customer,
            metadata: session.metadata,
            created_at: now().toISOString(),
            previous_billing_date: now().toISOString(),
            next_billing_date: now().toISOString(),
            cancelled_at: null,
          };
          subscriptions.set(subscriptionId, subscription);
          emit('subscription.active', 'Subscription', subscription);
        }
        const params: Record<string, string> = { payment_id: payment.payment_id, status: payment.status as string };
        if (subscriptionId) params.subscription_id = subscriptionId;
        return reply.redirect(back(session.returnUrl, params), 303);
      });

      // Sandbox controls for what time and customers do.
      app.post(
        '/_sandbox/subscriptions/:id/renew',
        handle((request) => renew(find(subscriptions, id(request), 'Subscription'))),
      );
      app.post(
        '/_sandbox/subscriptions/:id/cancel',
        handle((request) => cancel(find(subscriptions, id(request), 'Subscription'))),
      );
      app.post('/_sandbox/events/:id/resend', async (request, reply) =>
        webhooks.resend(id(request)) ? reply.code(204).send() : reply.code(404).send(),
      );
      app.get('/_sandbox/events', async () => ({ deliveries: webhooks.list() }));
    },
    reset() {
      for (const map of [products, sessions, payments, subscriptions]) map.clear();
      sender?.reset();
    },
  };
}

/** A payment as Dodo shows it (without the emulator's own bookkeeping). */
function publicPayment(payment: Row & { refunded: number }): Row {
  const { refunded: _refunded, ...shown } = payment;
  return {
    ...shown,
    refund_status: payment.refunded === 0 ? null : payment.refunded === payment.total_amount ? 'full' : 'partial',
  };
}
