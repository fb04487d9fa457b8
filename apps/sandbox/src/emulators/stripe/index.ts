import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { displayAmount, renderHostedPage } from '../shared/hostedPage';
import { randomId, randomSecret } from '../shared/ids';
import { WebhookSender } from '../shared/webhookSender';
import { invoicePaymentListParams, refundCreateParams, sessionCreateParams } from './params';
import { stripeSignatureHeader } from './signature';
import { type Happening, StripeError, StripeStore } from './store';

/** What the Stripe emulator reads from the environment: the same values the server's Stripe gateway gets. */
export const stripeEmulatorEnv = z.object({
  /** The API key the emulator accepts; unset, any `sk_test_` key is accepted. */
  STRIPE_SECRET_KEY: z.string().startsWith('sk_').optional(),
  /** Signs webhooks; unset, a random one is made and nobody can verify them. */
  STRIPE_WEBHOOK_SECRET: z.string().startsWith('whsec_').optional(),
});

export interface StripeEmulatorOptions {
  secretKey?: string;
  webhookSecret?: string;
  /** Pauses between delivery attempts of a webhook that was not answered 2xx. */
  retryDelaysMs?: number[];
  now?: () => Date;
}

/**
 * Stripe, as its API reference describes it, for what Handover uses: Checkout Sessions (payment
 * and subscription mode), refunds, invoice payments, signed webhooks. The `stripe` SDK has a
 * configurable host but no base path, so the API answers at `/v1/...` from the sandbox root;
 * the hosted checkout page and the sandbox's controls live under `/stripe/`.
 */
export function stripeEmulator(options: StripeEmulatorOptions = {}): Emulator {
  const now = options.now ?? (() => new Date());
  const webhookSecret = options.webhookSecret ?? randomSecret('whsec_');
  let store: StripeStore | undefined;
  let sender: WebhookSender | undefined;
  const events = new Map<string, Record<string, unknown>>();

  return {
    name: 'stripe',
    prefix: '',
    idempotencyHeader: 'Idempotency-Key',
    register(app, context) {
      const checkoutPage = (id: string) => `${context.publicUrl}/stripe/checkout/${id}`;
      const stripe = new StripeStore(checkoutPage, now);
      const webhooks = new WebhookSender({
        path: '/webhooks/stripe',
        webhookBaseUrl: context.webhookBaseUrl,
        retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 25_000],
        logger: app.log,
        now,
      });
      store = stripe;
      sender = webhooks;
      acceptForms(app);

      const emit = (happenings: Happening[]) => {
        for (const h of happenings) {
          const event = {
            id: `evt_${randomId(24)}`,
            object: 'event',
            api_version: null,
            created: Math.floor(now().getTime() / 1000),
            data: { object: h.object, ...(h.previousAttributes ? { previous_attributes: h.previousAttributes } : {}) },
            livemode: false,
            pending_webhooks: 1,
            request: { id: null, idempotency_key: null },
            type: h.type,
          };
          events.set(event.id, event);
          const body = JSON.stringify(event, null, 2);
          webhooks.send({
            id: event.id,
            type: event.type,
            body,
            headers: (at) => ({ 'stripe-signature': stripeSignatureHeader(body, webhookSecret, at) }),
          });
        }
      };

      registerApi(app, stripe, emit, options.secretKey);
      registerCheckoutPage(app, stripe, emit);

      // Sandbox controls: what a person does in the dashboard, or time does, on demand.
      const control = (path: string, act: (id: string) => unknown) =>
        app.post(`/stripe/_sandbox/${path}`, async (request, reply) => {
          const { id } = request.params as { id: string };
          return answer(reply, () => act(id));
        });
      control('subscriptions/:id/renew', (id) => emit(stripe.renew(id)));
      control('subscriptions/:id/cancel', (id) => emit(stripe.cancelSubscription(id)));
      control('sessions/:id/expire', (id) => emit(stripe.expire(id)));
      control('events/:id/resend', (id) => {
        if (!webhooks.resend(id))
          throw new StripeError(404, 'invalid_request_error', `No such event: '${id}'`, 'resource_missing');
      });
      app.get('/stripe/_sandbox/events', async () => ({ events: [...events.values()], deliveries: webhooks.list() }));
    },
    reset() {
      store?.reset();
      sender?.reset();
      events.clear();
    },
  };
}

type Emit = (happenings: Happening[]) => void;

function registerApi(app: FastifyInstance, stripe: StripeStore, emit: Emit, secretKey: string | undefined): void {
  const replays = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', `req_${randomId(14)}`);
    if (!request.url.startsWith('/v1/')) return;
    const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const accepted = secretKey ? key === secretKey : key?.startsWith('sk_test_');
    if (!accepted) {
      const shown = key ? `${key.slice(0, 8)}${'*'.repeat(Math.max(0, key.length - 12))}${key.slice(-4)}` : '';
      return sendError(
        reply,
        new StripeError(
          401,
          'invalid_request_error',
          key ? `Invalid API Key provided: ${shown}` : 'You did not provide an API key.',
        ),
      );
    }
  });

  /** Stripe's idempotency: a key replays its first answer, and refuses different parameters. */
  const idempotent =
    (handler: (request: FastifyRequest) => unknown) => async (request: FastifyRequest, reply: FastifyReply) => {
      const key = request.headers['idempotency-key'];
      const fingerprint = `${request.method} ${request.url} ${JSON.stringify(request.body ?? {})}`;
      if (typeof key === 'string') {
        const previous = replays.get(key);
        if (previous && previous.fingerprint !== fingerprint) {
          return sendError(
            reply,
            new StripeError(
              400,
              'idempotency_error',
              `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            ),
          );
        }
        if (previous) return reply.code(previous.status).header('idempotent-replayed', 'true').send(previous.body);
      }
      try {
        const body = handler(request);
        if (typeof key === 'string') replays.set(key, { fingerprint, status: 200, body: structuredClone(body) });
        return body;
      } catch (error) {
        if (error instanceof StripeError && typeof key === 'string') {
          replays.set(key, { fingerprint, status: error.status, body: errorBody(error) });
        }
        return sendError(reply, error);
      }
    };

  app.post(
    '/v1/checkout/sessions',
    idempotent((request) => stripe.createSession(parse(sessionCreateParams, request.body))),
  );
  app.get('/v1/checkout/sessions/:id', async (request, reply) =>
    answer(reply, () => stripe.session((request.params as { id: string }).id)),
  );
  app.post(
    '/v1/checkout/sessions/:id/expire',
    idempotent((request) => {
      const id = (request.params as { id: string }).id;
      emit(stripe.expire(id));
      return stripe.session(id);
    }),
  );
  app.post(
    '/v1/refunds',
    idempotent((request) => {
      const { refund, happenings } = stripe.refund(parse(refundCreateParams, request.body));
      emit(happenings);
      return refund;
    }),
  );
  // What a "test connection" reads: the account's balance, which changes nothing.
  app.get('/v1/balance', async () => ({
    object: 'balance',
    available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
    pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
    livemode: false,
  }));
  app.get('/v1/invoice_payments', async (request, reply) =>
    answer(reply, () => {
      const params = parse(invoicePaymentListParams, request.query);
      return {
        object: 'list',
        data: stripe.listInvoicePayments(params.invoice, params.limit),
        has_more: false,
        url: '/v1/invoice_payments',
      };
    }),
  );
}

function registerCheckoutPage(app: FastifyInstance, stripe: StripeStore, emit: Emit): void {
  const page = (id: string, reply: FastifyReply) => {
    const session = stripe.sessions.get(id);
    if (!session) return reply.code(404).type('text/html').send('<h1>This checkout session does not exist.</h1>');
    const rows: [string, string][] = stripe
      .lineItems(id)
      .map((li) => [
        `${li.quantity} × ${li.price_data.product_data.name}${li.price_data.recurring ? ` (every ${li.price_data.recurring.interval})` : ''}`,
        displayAmount(li.quantity * li.price_data.unit_amount, li.price_data.currency),
      ]);
    rows.push(['Total due today', displayAmount(session.amount_total, session.currency)]);
    if (session.customer_email) rows.push(['Email', session.customer_email]);
    rows.push(['Status', session.status]);
    const open = session.status === 'open';
    return reply.type('text/html').send(
      renderHostedPage({
        title: open ? 'Pay with a test card' : `This checkout session is ${session.status}`,
        vendor: 'Stripe',
        rows,
        notice: stripe.declined(id),
        actions: open
          ? [
              { label: 'Pay', action: `/stripe/checkout/${id}/pay`, tone: 'primary' },
              { label: 'Fail (card declined)', action: `/stripe/checkout/${id}/fail`, tone: 'danger' },
              { label: 'Cancel', action: `/stripe/checkout/${id}/cancel`, tone: 'plain' },
            ]
          : [],
      }),
    );
  };
  app.get('/stripe/checkout/:id', async (request, reply) => page((request.params as { id: string }).id, reply));
  app.post('/stripe/checkout/:id/pay', async (request, reply) => {
    const { id } = request.params as { id: string };
    return pageAction(reply, id, page, () => {
      emit(stripe.pay(id));
      const session = stripe.session(id);
      return session.success_url.replace('{CHECKOUT_SESSION_ID}', id);
    });
  });
  app.post('/stripe/checkout/:id/fail', async (request, reply) => {
    const { id } = request.params as { id: string };
    return pageAction(reply, id, page, () => {
      emit(stripe.decline(id));
      return `/stripe/checkout/${id}`;
    });
  });
  app.post('/stripe/checkout/:id/cancel', async (request, reply) => {
    const { id } = request.params as { id: string };
    // Leaving Checkout does not expire the session: the customer may come back until it expires.
    return pageAction(reply, id, page, () => stripe.session(id).cancel_url ?? `/stripe/checkout/${id}`);
  });
}

function pageAction(
  reply: FastifyReply,
  id: string,
  page: (id: string, reply: FastifyReply) => unknown,
  act: () => string,
): unknown {
  try {
    return reply.redirect(act(), 303);
  } catch (error) {
    if (error instanceof StripeError) return page(id, reply.code(error.status === 404 ? 404 : 409));
    throw error;
  }
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue?.path.map((p, i) => (i === 0 ? String(p) : `[${String(p)}]`)).join('');
  throw new StripeError(
    400,
    'invalid_request_error',
    `${param ? `${param}: ` : ''}${issue?.message ?? 'Invalid request'}`,
    'parameter_invalid',
    param || undefined,
  );
}

function answer(reply: FastifyReply, act: () => unknown): unknown {
  try {
    return act() ?? reply.code(204).send();
  } catch (error) {
    return sendError(reply, error);
  }
}

function errorBody(error: StripeError) {
  return {
    error: {
      type: error.type,
      message: error.message,
      ...(error.code ? { code: error.code } : {}),
      ...(error.param ? { param: error.param } : {}),
    },
  };
}

function sendError(reply: FastifyReply, error: unknown): FastifyReply {
  if (!(error instanceof StripeError)) throw error;
  return reply.code(error.status).send(errorBody(error));
}
