import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { renderHostedPage } from '../shared/hostedPage';
import { randomId } from '../shared/ids';
import { WebhookSender } from '../shared/webhookSender';
import { type Capture, fromMinor, type Order, paypalId, toMinor } from './orders';
import { PayPalSigner } from './signing';

/** What the PayPal emulator reads from the environment: the same values the server's PayPal gateway gets. */
export const paypalEmulatorEnv = z.object({
  PAYPAL_CLIENT_ID: z.string().min(1).optional(),
  PAYPAL_CLIENT_SECRET: z.string().min(1).optional(),
  /** The id of the one webhook the emulator delivers to; it is part of every signature. */
  PAYPAL_WEBHOOK_ID: z
    .string()
    .regex(/^[a-zA-Z0-9]+$/)
    .optional(),
});

export interface PayPalEmulatorOptions {
  clientId?: string;
  clientSecret?: string;
  webhookId?: string;
  /** How long an access token lives, in seconds (PayPal: about nine hours). */
  tokenLifetimeSeconds?: number;
  retryDelaysMs?: number[];
  now?: () => Date;
}

const amount = z.object({
  currency_code: z.string().regex(/^[A-Z]{3}$/),
  value: z.string().max(32),
});
const createOrderBody = z.object({
  intent: z.literal('CAPTURE'),
  purchase_units: z
    .array(
      z.object({
        reference_id: z.string().max(256).optional(),
        custom_id: z.string().max(127).optional(),
        description: z.string().max(127).optional(),
        amount,
      }),
    )
    .min(1)
    .max(1),
  payment_source: z
    .object({
      paypal: z.object({
        email_address: z.email().optional(),
        experience_context: z
          .object({ return_url: z.url().optional(), cancel_url: z.url().optional() })
          .passthrough()
          .optional(),
      }),
    })
    .optional(),
  application_context: z
    .object({ return_url: z.url().optional(), cancel_url: z.url().optional() })
    .passthrough()
    .optional(),
});
const refundBody = z.object({ amount: amount.optional(), note_to_payer: z.string().max(255).optional() }).default({});
const verifyBody = z.object({
  auth_algo: z.string().regex(/^[a-zA-Z0-9]+$/),
  cert_url: z.url(),
  transmission_id: z.string().min(1),
  transmission_sig: z.string().min(1),
  transmission_time: z.string().min(1),
  webhook_id: z.string().min(1),
  webhook_event: z.record(z.string(), z.unknown()),
});

class PayPalError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(String(body.message));
  }
}

const unprocessable = (issue: string, description: string) =>
  new PayPalError(422, {
    name: 'UNPROCESSABLE_ENTITY',
    message: 'The requested action could not be performed, semantically incorrect, or failed business validation.',
    debug_id: randomId(13).toLowerCase(),
    details: [{ issue, description }],
  });
const invalidRequest = (field: string, issue: string, description: string) =>
  new PayPalError(400, {
    name: 'INVALID_REQUEST',
    message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
    debug_id: randomId(13).toLowerCase(),
    details: [{ field, location: 'body', issue, description }],
  });
const notFound = (what: string) =>
  new PayPalError(404, {
    name: 'RESOURCE_NOT_FOUND',
    message: 'The specified resource does not exist.',
    debug_id: randomId(13).toLowerCase(),
    details: [{ issue: 'INVALID_RESOURCE_ID', description: `Specified resource ID does not exist: ${what}` }],
  });

/**
 * PayPal's REST API as its reference describes it, for what Handover uses: OAuth2 client
 * credentials, Orders v2 (create, show, capture), capture refunds, the buyer's approval page, and
 * webhooks with PayPal's transmission headers, checked by verify-webhook-signature.
 */
export function paypalEmulator(options: PayPalEmulatorOptions = {}): Emulator {
  const now = options.now ?? (() => new Date());
  const clientId = options.clientId;
  const clientSecret = options.clientSecret;
  const webhookId = options.webhookId ?? randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
  const signer = new PayPalSigner();
  const tokens = new Map<string, number>();
  const orders = new Map<string, Order>();
  const captures = new Map<string, Capture>();
  const requestIds = new Map<string, { status: number; body: unknown }>();
  let sender: WebhookSender | undefined;

  return {
    name: 'paypal',
    prefix: '/paypal',
    idempotencyHeader: 'PayPal-Request-Id',
    register(app, context) {
      acceptForms(app);
      const base = `${context.publicUrl}/paypal`;
      const certUrl = `${base}/v1/notifications/certs/CERT-sandbox`;
      const webhooks = new WebhookSender({
        path: '/webhooks/paypal',
        webhookBaseUrl: context.webhookBaseUrl,
        retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 25_000],
        logger: app.log,
        now,
      });
      sender = webhooks;

      const emit = (eventType: string, resourceType: string, resource: Record<string, unknown>, summary: string) => {
        const event = {
          id: `WH-${randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}-${randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
          event_version: '1.0',
          create_time: now().toISOString(),
          resource_type: resourceType,
          resource_version: '2.0',
          event_type: eventType,
          summary,
          resource,
          links: [],
        };
        const body = JSON.stringify(event);
        webhooks.send({
          id: event.id,
          type: eventType,
          body,
          headers: (at) => {
            const transmissionId = randomUUID();
            const transmissionTime = at.toISOString();
            return {
              'paypal-transmission-id': transmissionId,
              'paypal-transmission-time': transmissionTime,
              'paypal-transmission-sig': signer.sign({ transmissionId, transmissionTime, webhookId, body }),
              'paypal-cert-url': certUrl,
              'paypal-auth-algo': 'SHA256withRSA',
            };
          },
        });
      };

      registerOAuth(app, tokens, now, options.tokenLifetimeSeconds ?? 32_400, clientId, clientSecret);
      const authorized = (request: FastifyRequest) => {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        const expires = token ? tokens.get(token) : undefined;
        if (expires === undefined || expires < now().getTime()) {
          throw new PayPalError(401, {
            name: 'AUTHENTICATION_FAILURE',
            message:
              'Authentication failed due to invalid authentication credentials or a missing Authorization header.',
            links: [],
          });
        }
      };
      /** PayPal-Request-Id: a repeated id answers what the first request got. */
      const handle =
        (act: (request: FastifyRequest) => { status: number; body: unknown }) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          try {
            authorized(request);
            const requestId = request.headers['paypal-request-id'];
            const key = typeof requestId === 'string' ? `${request.method} ${request.url} ${requestId}` : undefined;
            const previous = key ? requestIds.get(key) : undefined;
            if (previous) return reply.code(previous.status).send(previous.body);
            const result = act(request);
            if (key) requestIds.set(key, structuredClone(result));
            return reply.code(result.status).send(result.body);
          } catch (error) {
            if (error instanceof PayPalError) return reply.code(error.status).send(error.body);
            throw error;
          }
        };

      const orderView = (order: Order) => ({
        id: order.id,
        intent: order.intent,
        status: order.status,
        purchase_units: order.purchase_units.map((unit) => ({
          ...unit,
          ...(order.capture ? { payments: { captures: [captureView(order.capture)] } } : {}),
        })),
        ...(order.payer ? { payer: order.payer } : {}),
        create_time: order.create_time,
        update_time: order.update_time,
        links: orderLinks(order),
      });
      const orderLinks = (order: Order) => [
        { href: `${base}/v2/checkout/orders/${order.id}`, rel: 'self', method: 'GET' },
        ...(order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED'
          ? [
              {
                href: `${base}/checkoutnow?token=${order.id}`,
                rel: order.payerAction ? 'payer-action' : 'approve',
                method: 'GET',
              },
            ]
          : []),
        ...(order.status === 'APPROVED'
          ? [{ href: `${base}/v2/checkout/orders/${order.id}/capture`, rel: 'capture', method: 'POST' }]
          : []),
      ];
      const captureView = (capture: Capture) => {
        const { refundedMinor: _refunded, ...view } = capture;
        return {
          ...view,
          links: [
            { href: `${base}/v2/payments/captures/${capture.id}`, rel: 'self', method: 'GET' },
            { href: `${base}/v2/payments/captures/${capture.id}/refund`, rel: 'refund', method: 'POST' },
            {
              href: `${base}/v2/checkout/orders/${capture.supplementary_data.related_ids.order_id}`,
              rel: 'up',
              method: 'GET',
            },
          ],
        };
      };
      const order = (id: string) => {
        const found = orders.get(id);
        if (!found) throw notFound(id);
        return found;
      };

      app.post(
        '/v2/checkout/orders',
        handle((request) => {
          const parsed = createOrderBody.safeParse(request.body);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw invalidRequest(
              `/${issue?.path.join('/') ?? ''}`,
              'INVALID_PARAMETER_SYNTAX',
              issue?.message ?? 'invalid',
            );
          }
          const body = parsed.data;
          const unit = body.purchase_units[0] as (typeof body.purchase_units)[number];
          if (toMinor(unit.amount.value, unit.amount.currency_code) === null) {
            throw unprocessable(
              'DECIMAL_PRECISION',
              'If the currency supports decimals, only two decimal place precision is supported.',
            );
          }
          const experience = body.payment_source?.paypal.experience_context ?? body.application_context;
          const at = now().toISOString();
          const created: Order = {
            id: paypalId(),
            intent: 'CAPTURE',
            status: body.payment_source ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
            purchase_units: [
              {
                reference_id: unit.reference_id ?? 'default',
                custom_id: unit.custom_id ?? null,
                description: unit.description ?? null,
                amount: unit.amount,
              },
            ],
            payer: null,
            returnUrl: experience?.return_url ?? null,
            cancelUrl: experience?.cancel_url ?? null,
            payerEmail: body.payment_source?.paypal.email_address ?? null,
            payerAction: Boolean(body.payment_source),
            capture: null,
            create_time: at,
            update_time: at,
          };
          orders.set(created.id, created);
          const representation = request.headers.prefer === 'return=representation';
          return {
            status: 201,
            body: representation
              ? orderView(created)
              : { id: created.id, status: created.status, links: orderLinks(created) },
          };
        }),
      );
      app.get(
        '/v2/checkout/orders/:id',
        handle((request) => ({ status: 200, body: orderView(order((request.params as { id: string }).id)) })),
      );
      app.post(
        '/v2/checkout/orders/:id/capture',
        handle((request) => {
          const found = order((request.params as { id: string }).id);
          if (found.status === 'COMPLETED') {
            throw unprocessable(
              'ORDER_ALREADY_CAPTURED',
              "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
            );
          }
          if (found.status !== 'APPROVED') {
            throw unprocessable(
              'ORDER_NOT_APPROVED',
              "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.",
            );
          }
          const unit = found.purchase_units[0] as Order['purchase_units'][number];
          const at = now().toISOString();
          const capture: Capture = {
            id: paypalId(),
            status: 'COMPLETED',
            amount: unit.amount,
            custom_id: unit.custom_id,
            invoice_id: null,
            final_capture: true,
            create_time: at,
            update_time: at,
            supplementary_data: { related_ids: { order_id: found.id } },
            refundedMinor: 0,
          };
          captures.set(capture.id, capture);
          Object.assign(found, { status: 'COMPLETED', capture, update_time: at });
          emit(
            'PAYMENT.CAPTURE.COMPLETED',
            'capture',
            captureView(capture),
            `Payment completed for ${unit.amount.value} ${unit.amount.currency_code}`,
          );
          return { status: 201, body: orderView(found) };
        }),
      );
      app.post(
        '/v2/payments/captures/:id/refund',
        handle((request) => {
          const capture = captures.get((request.params as { id: string }).id);
          if (!capture) throw notFound((request.params as { id: string }).id);
          const body = refundBody.safeParse(request.body ?? {});
          if (!body.success)
            throw invalidRequest('/amount', 'INVALID_PARAMETER_SYNTAX', body.error.issues[0]?.message ?? '');
          const currency = capture.amount.currency_code;
          const total = toMinor(capture.amount.value, currency) ?? 0;
          const remaining = total - capture.refundedMinor;
          const requested = body.data.amount;
          if (requested && requested.currency_code !== currency) {
            throw unprocessable('REFUND_CURRENCY_MISMATCH', 'Refund must be in the same currency as the capture.');
          }
          const minor = requested ? toMinor(requested.value, currency) : remaining;
          if (minor === null) throw unprocessable('DECIMAL_PRECISION', 'The amount has too many decimal places.');
          if (remaining === 0)
            throw unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
          if (minor <= 0 || minor > remaining) {
            throw unprocessable(
              'REFUND_AMOUNT_EXCEEDED',
              'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
            );
          }
          capture.refundedMinor += minor;
          capture.status = capture.refundedMinor === total ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
          const at = now().toISOString();
          const refund = {
            id: paypalId(),
            status: 'COMPLETED',
            amount: { currency_code: currency, value: fromMinor(minor, currency) },
            note_to_payer: body.data.note_to_payer ?? null,
            custom_id: capture.custom_id,
            create_time: at,
            update_time: at,
            links: [
              { href: `${base}/v2/payments/refunds/${randomId(4)}`, rel: 'self', method: 'GET' },
              { href: `${base}/v2/payments/captures/${capture.id}`, rel: 'up', method: 'GET' },
            ],
          };
          emit(
            'PAYMENT.CAPTURE.REFUNDED',
            'refund',
            refund,
            `A ${refund.amount.value} ${currency} capture payment was refunded`,
          );
          return { status: 201, body: { id: refund.id, status: refund.status, links: refund.links } };
        }),
      );
      app.post(
        '/v1/notifications/verify-webhook-signature',
        handle((request) => {
          const parsed = verifyBody.safeParse(request.body);
          if (!parsed.success) {
            const issue = parsed.error.issues[0];
            throw invalidRequest(
              `/${issue?.path.join('/') ?? ''}`,
              'MISSING_REQUIRED_PARAMETER',
              issue?.message ?? 'invalid',
            );
          }
          const v = parsed.data;
          const verified =
            v.auth_algo === 'SHA256withRSA' &&
            v.cert_url === certUrl &&
            v.webhook_id === webhookId &&
            signer.verify(
              {
                transmissionId: v.transmission_id,
                transmissionTime: v.transmission_time,
                webhookId: v.webhook_id,
                body: JSON.stringify(v.webhook_event),
              },
              v.transmission_sig,
            );
          return { status: 200, body: { verification_status: verified ? 'SUCCESS' : 'FAILURE' } };
        }),
      );
      app.get('/v1/notifications/certs/CERT-sandbox', async (_request, reply) =>
        reply.type('application/x-pem-file').send(signer.publicKeyPem),
      );

      registerApprovalPage(app, orders, now, emit, orderView);

      app.post('/_sandbox/events/:id/resend', async (request, reply) =>
        webhooks.resend((request.params as { id: string }).id) ? reply.code(204).send() : reply.code(404).send(),
      );
      app.get('/_sandbox/events', async () => ({ deliveries: webhooks.list() }));
      /** Ends every access token early, as PayPal may: clients must fetch a new one on 401. */
      app.post('/_sandbox/tokens/expire', async (_request, reply) => {
        tokens.clear();
        return reply.code(204).send();
      });
    },
    reset() {
      tokens.clear();
      orders.clear();
      captures.clear();
      requestIds.clear();
      sender?.reset();
    },
  };
}

function registerOAuth(
  app: FastifyInstance,
  tokens: Map<string, number>,
  now: () => Date,
  lifetimeSeconds: number,
  clientId: string | undefined,
  clientSecret: string | undefined,
): void {
  app.post('/v1/oauth2/token', async (request, reply) => {
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    const grant = (request.body as { grant_type?: string } | undefined)?.grant_type;
    const known =
      id !== undefined &&
      secret !== undefined &&
      (clientId === undefined || same(id, clientId)) &&
      (clientSecret === undefined || same(secret, clientSecret));
    if (!known)
      return reply.code(401).send({ error: 'invalid_client', error_description: 'Client Authentication failed' });
    if (grant !== 'client_credentials') {
      return reply.code(400).send({ error: 'unsupported_grant_type', error_description: 'Grant Type is NULL' });
    }
    const token = `A21AA${randomId(90)}`;
    tokens.set(token, now().getTime() + lifetimeSeconds * 1000);
    return {
      scope: 'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/applications/webhooks',
      access_token: token,
      token_type: 'Bearer',
      app_id: `APP-${randomId(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789')}`,
      expires_in: lifetimeSeconds,
      nonce: `${now().toISOString()}${randomId(20)}`,
    };
  });
}

function registerApprovalPage(
  app: FastifyInstance,
  orders: Map<string, Order>,
  now: () => Date,
  emit: (eventType: string, resourceType: string, resource: Record<string, unknown>, summary: string) => void,
  orderView: (order: Order) => Record<string, unknown>,
): void {
  const token = (request: FastifyRequest) => z.object({ token: z.string() }).safeParse(request.query).data?.token ?? '';
  app.get('/checkoutnow', async (request, reply) => {
    const order = orders.get(token(request));
    if (!order) return reply.code(404).type('text/html').send('<h1>This order does not exist.</h1>');
    const unit = order.purchase_units[0] as Order['purchase_units'][number];
    const awaiting = order.status === 'CREATED' || order.status === 'PAYER_ACTION_REQUIRED';
    return reply.type('text/html').send(
      renderHostedPage({
        title: awaiting ? 'Log in to pay with PayPal' : `This order is ${order.status.toLowerCase()}`,
        vendor: 'PayPal',
        rows: [
          [unit.description ?? 'Order', `${unit.amount.value} ${unit.amount.currency_code}`],
          ['Payer', order.payerEmail ?? 'sandbox buyer'],
          ['Status', order.status],
        ],
        actions: awaiting
          ? [
              {
                label: 'Approve',
                action: `/paypal/checkoutnow/approve?token=${order.id}`,
                tone: 'primary',
              },
              {
                label: 'Cancel',
                action: `/paypal/checkoutnow/cancel?token=${order.id}`,
                tone: 'plain',
              },
            ]
          : [],
      }),
    );
  });
  app.post('/checkoutnow/approve', async (request, reply) => {
    const order = orders.get(token(request));
    if (!order || (order.status !== 'CREATED' && order.status !== 'PAYER_ACTION_REQUIRED')) {
      return reply.code(409).type('text/html').send('<h1>This order cannot be approved.</h1>');
    }
    const payerId = randomId(13, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789');
    Object.assign(order, {
      status: 'APPROVED',
      payer: { email_address: order.payerEmail ?? 'buyer@example.com', payer_id: payerId },
      update_time: now().toISOString(),
    });
    emit('CHECKOUT.ORDER.APPROVED', 'checkout-order', orderView(order), 'An order has been approved by buyer');
    const back = order.returnUrl ? appendQuery(order.returnUrl, { token: order.id, PayerID: payerId }) : '/';
    return reply.redirect(back, 303);
  });
  app.post('/checkoutnow/cancel', async (request, reply) => {
    const order = orders.get(token(request));
    if (!order) return reply.code(404).type('text/html').send('<h1>This order does not exist.</h1>');
    return reply.redirect(order.cancelUrl ? appendQuery(order.cancelUrl, { token: order.id }) : '/', 303);
  });
}

function appendQuery(url: string, params: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
  return target.toString();
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
