import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { displayAmount, renderHostedPage } from '../shared/hostedPage';
import { randomId, randomSecret } from '../shared/ids';
import { WebhookSender } from '../shared/webhookSender';

/** What the sandbox gateway reads from the environment: the secret it shares with the server. */
export const sandboxGatewayEmulatorEnv = z.object({
  /** Authenticates API calls (Bearer) and signs webhooks; unset, a random one is made. */
  SANDBOX_GATEWAY_SECRET: z.string().min(16).optional(),
});

export interface SandboxGatewayEmulatorOptions {
  secret?: string;
  retryDelaysMs?: number[];
  now?: () => Date;
}

const sessionBody = z.object({
  reference: z.string().min(1).max(200),
  customer_email: z.email(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  amount_minor: z.number().int().min(0),
  description: z.string().max(500),
  success_url: z.url(),
  cancel_url: z.url(),
  recurring: z.object({ interval: z.enum(['month', 'year']) }).optional(),
});
const refundBody = z.object({ payment_id: z.string(), amount_minor: z.number().int().min(1) });

interface Session extends z.output<typeof sessionBody> {
  id: string;
  status: 'open' | 'paid' | 'expired';
  declined: boolean;
  payment_id: string | null;
  subscription_id: string | null;
  expires_at: string;
}
interface Payment {
  id: string;
  amount_minor: number;
  refunded_minor: number;
  currency: string;
}

/**
 * Handover's own dev and test gateway: a small session API, a hosted page to pay, fail or cancel,
 * and webhooks signed `Handover-Sandbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">` with the shared secret (docs/payments.md).
 */
export function sandboxGatewayEmulator(options: SandboxGatewayEmulatorOptions = {}): Emulator {
  const now = options.now ?? (() => new Date());
  const secret = options.secret ?? randomSecret();
  const sessions = new Map<string, Session>();
  const payments = new Map<string, Payment>();
  const subscriptions = new Map<
    string,
    { session: Session; active: boolean; cancelAtPeriodEnd: boolean; periodEnd: Date }
  >();
  const periodAfter = (from: Date, interval: 'month' | 'year') => {
    const next = new Date(from);
    if (interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
    else next.setUTCFullYear(next.getUTCFullYear() + 1);
    return next;
  };
  const subscriptionView = (id: string) => {
    const subscription = subscriptions.get(id);
    return subscription
      ? {
          id,
          status: subscription.active ? 'active' : 'cancelled',
          cancel_at_period_end: subscription.cancelAtPeriodEnd,
          current_period_end: subscription.periodEnd.toISOString(),
        }
      : null;
  };
  const replays = new Map<string, unknown>();
  let sender: WebhookSender | undefined;

  return {
    name: 'sandbox-gateway',
    prefix: '/sandbox-gateway',
    idempotencyHeader: 'Idempotency-Key',
    register(app, context) {
      acceptForms(app);
      const webhooks = new WebhookSender({
        path: '/webhooks/sandbox',
        webhookBaseUrl: context.webhookBaseUrl,
        retryDelaysMs: options.retryDelaysMs ?? [1_000, 5_000, 25_000],
        logger: app.log,
        now,
      });
      sender = webhooks;
      const emit = (type: string, data: Record<string, unknown>) => {
        const event = { id: `sbe_${randomId(24)}`, type, created_at: now().toISOString(), data };
        const body = JSON.stringify(event);
        webhooks.send({
          id: event.id,
          type,
          body,
          headers: (at) => {
            const t = Math.floor(at.getTime() / 1000);
            const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
            return { 'handover-sandbox-signature': `t=${t},v1=${v1}` };
          },
        });
      };
      const fail = (reply: FastifyReply, status: number, message: string) =>
        reply.code(status).send({ error: message });
      const api =
        (act: (request: FastifyRequest, reply: FastifyReply) => unknown) =>
        async (request: FastifyRequest, reply: FastifyReply) => {
          if (request.headers.authorization !== `Bearer ${secret}`) return fail(reply, 401, 'bad or missing secret');
          const key = request.headers['idempotency-key'];
          const replayKey = typeof key === 'string' ? `${request.url} ${key}` : undefined;
          if (replayKey && replays.has(replayKey)) return replays.get(replayKey);
          const answer = act(request, reply);
          if (replayKey && reply.statusCode < 400) replays.set(replayKey, answer);
          return answer;
        };
      const paid = (session: Session) => {
        const payment: Payment = {
          id: `sbp_${randomId(24)}`,
          amount_minor: session.amount_minor,
          refunded_minor: 0,
          currency: session.currency,
        };
        payments.set(payment.id, payment);
        return payment;
      };

      app.post(
        '/api/sessions',
        api((request, reply) => {
          const body = sessionBody.safeParse(request.body);
          if (!body.success) return fail(reply, 422, z.prettifyError(body.error));
          const session: Session = {
            ...body.data,
            id: `sbs_${randomId(24)}`,
            status: 'open',
            declined: false,
            payment_id: null,
            subscription_id: null,
            expires_at: new Date(now().getTime() + 24 * 3_600_000).toISOString(),
          };
          sessions.set(session.id, session);
          return sessionView(session);
        }),
      );
      const sessionView = (s: Session) => ({
        id: s.id,
        status: s.status,
        reference: s.reference,
        amount_minor: s.amount_minor,
        currency: s.currency,
        payment_id: s.payment_id,
        subscription_id: s.subscription_id,
        expires_at: s.expires_at,
        url: `${context.publicUrl}/sandbox-gateway/checkout/${s.id}`,
      });
      // An authenticated call that changes nothing: what "Test connection" asks.
      app.get(
        '/api/account',
        api(() => ({ account: 'handover-sandbox', mode: 'test' })),
      );
      app.get(
        '/api/subscriptions/:id',
        api(
          (request, reply) =>
            subscriptionView((request.params as { id: string }).id) ?? fail(reply, 404, 'no such subscription'),
        ),
      );
      // The customer asked to stop renewing: it ends (subscription.cancelled) when the period paid for does.
      app.post(
        '/api/subscriptions/:id/cancel',
        api((request, reply) => {
          const id = (request.params as { id: string }).id;
          const subscription = subscriptions.get(id);
          if (!subscription?.active) return fail(reply, 404, 'no such active subscription');
          subscription.cancelAtPeriodEnd = true;
          return subscriptionView(id);
        }),
      );
      app.get(
        '/api/sessions/:id',
        api((request, reply) => {
          const session = sessions.get((request.params as { id: string }).id);
          return session ? sessionView(session) : fail(reply, 404, 'no such session');
        }),
      );
      app.post(
        '/api/refunds',
        api((request, reply) => {
          const body = refundBody.safeParse(request.body);
          if (!body.success) return fail(reply, 422, z.prettifyError(body.error));
          const payment = payments.get(body.data.payment_id);
          if (!payment) return fail(reply, 404, 'no such payment');
          if (body.data.amount_minor > payment.amount_minor - payment.refunded_minor) {
            return fail(reply, 422, 'refund is larger than what is left of the payment');
          }
          payment.refunded_minor += body.data.amount_minor;
          const refund = {
            id: `sbr_${randomId(24)}`,
            payment_id: payment.id,
            amount_minor: body.data.amount_minor,
            currency: payment.currency,
            status: 'succeeded',
          };
          emit('refund.succeeded', {
            refund_id: refund.id,
            payment_id: payment.id,
            amount_minor: refund.amount_minor,
            currency: refund.currency,
          });
          return refund;
        }),
      );

      app.get('/checkout/:id', async (request, reply) => {
        const session = sessions.get((request.params as { id: string }).id);
        if (!session) return reply.code(404).type('text/html').send('<h1>This checkout does not exist.</h1>');
        const open = session.status === 'open';
        return reply.type('text/html').send(
          renderHostedPage({
            title: open ? 'Sandbox checkout' : `This checkout is ${session.status}`,
            vendor: 'Handover',
            rows: [
              [session.description, displayAmount(session.amount_minor, session.currency)],
              ['Email', session.customer_email],
              ...(session.recurring ? ([['Renews', `every ${session.recurring.interval}`]] as [string, string][]) : []),
              ['Status', session.status],
            ],
            notice: session.declined ? 'The last attempt failed; nothing was charged.' : undefined,
            actions: open
              ? [
                  { label: 'Pay', action: `/sandbox-gateway/checkout/${session.id}/pay`, tone: 'primary' },
                  { label: 'Fail', action: `/sandbox-gateway/checkout/${session.id}/fail`, tone: 'danger' },
                  { label: 'Cancel', action: `/sandbox-gateway/checkout/${session.id}/cancel`, tone: 'plain' },
                ]
              : [],
          }),
        );
      });
      app.post('/checkout/:id/:outcome', async (request, reply) => {
        const { id, outcome } = request.params as { id: string; outcome: string };
        const session = sessions.get(id);
        if (session?.status !== 'open')
          return reply.code(409).type('text/html').send('<h1>This checkout is closed.</h1>');
        if (outcome === 'cancel') return reply.redirect(session.cancel_url, 303);
        if (outcome === 'fail') {
          session.declined = true;
          emit('payment.failed', { session_id: id, reference: session.reference, reason: 'declined in the sandbox' });
          return reply.redirect(`/sandbox-gateway/checkout/${id}`, 303);
        }
        if (outcome !== 'pay') return reply.code(404).send();
        const payment = paid(session);
        Object.assign(session, {
          status: 'paid',
          payment_id: payment.id,
          subscription_id: session.recurring ? `sbsub_${randomId(24)}` : null,
        });
        if (session.subscription_id && session.recurring) {
          subscriptions.set(session.subscription_id, {
            session,
            active: true,
            cancelAtPeriodEnd: false,
            periodEnd: periodAfter(now(), session.recurring.interval),
          });
        }
        emit('payment.succeeded', {
          session_id: id,
          reference: session.reference,
          payment_id: payment.id,
          amount_minor: payment.amount_minor,
          currency: payment.currency,
          subscription_id: session.subscription_id,
        });
        return reply.redirect(session.success_url, 303);
      });

      const control = (path: string, act: (id: string) => string | null) =>
        app.post(`/_sandbox/${path}`, async (request, reply) => {
          const problem = act((request.params as { id: string }).id);
          return problem ? fail(reply, 409, problem) : reply.code(204).send();
        });
      control('sessions/:id/expire', (id) => {
        const session = sessions.get(id);
        if (session?.status !== 'open') return 'only an open session can expire';
        session.status = 'expired';
        emit('checkout.expired', { session_id: id, reference: session.reference });
        return null;
      });
      control('subscriptions/:id/renew', (id) => {
        const subscription = subscriptions.get(id);
        if (!subscription?.active) return 'no such active subscription';
        if (subscription.cancelAtPeriodEnd) return 'this subscription ends at the end of its period';
        const payment = paid(subscription.session);
        subscription.periodEnd = periodAfter(now(), subscription.session.recurring?.interval ?? 'month');
        emit('subscription.renewed', {
          subscription_id: id,
          payment_id: payment.id,
          amount_minor: payment.amount_minor,
          currency: payment.currency,
        });
        return null;
      });
      // A renewal the card declined: the customer's grace period starts at Handover.
      control('subscriptions/:id/fail', (id) => {
        const subscription = subscriptions.get(id);
        if (!subscription?.active) return 'no such active subscription';
        emit('subscription.payment_failed', { subscription_id: id, reason: 'the card was declined in the sandbox' });
        return null;
      });
      // The period ended (for a subscription set to cancel at its end), or it was ended outright.
      control('subscriptions/:id/cancel', (id) => {
        const subscription = subscriptions.get(id);
        if (!subscription?.active) return 'no such active subscription';
        subscription.active = false;
        emit('subscription.cancelled', { subscription_id: id });
        return null;
      });
      control('events/:id/resend', (id) => (webhooks.resend(id) ? null : 'no such event'));
      app.get('/_sandbox/events', async () => ({ deliveries: webhooks.list() }));
    },
    reset() {
      sessions.clear();
      payments.clear();
      subscriptions.clear();
      replays.clear();
      sender?.reset();
    },
  };
}
