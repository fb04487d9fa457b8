import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Emulator, EmulatorContext } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { ACTIONS, type Params } from './actions';
import { messagePage, paymentMethodsPage } from './clientArea';
import { PRODUCTS, WhmcsStore } from './store';

export const whmcsEmulatorEnv = z.object({
  /** The API credential pair (Setup > Staff Management > Manage API Credentials). Unset, random. */
  WHMCS_API_IDENTIFIER: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(16).toString('hex')),
  WHMCS_API_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(16).toString('hex')),
});

export interface WhmcsEmulatorOptions {
  identifier: string;
  secret: string;
  now?: () => Date;
}

const SESSION_COOKIE = 'WHMCSsandbox';
const lowerActions = Object.fromEntries(Object.keys(ACTIONS).map((name) => [name.toLowerCase(), name]));
const PAYMENT_METHODS = '/index.php?rp=/account/paymentmethods';

/**
 * WHMCS's External API (developers.whmcs.com: API > Authentication, API Reference) at
 * POST /includes/api.php: form fields `identifier`, `secret` (or `username`/`password`), `action`,
 * `responsetype=json`; answers `{"result":"success",...}` or `{"result":"error","message":...}`.
 * CreateSsoToken's redirect_url leads, through /oauth/singlesignon.php, to the client area's
 * payment-methods page where a customer adds a card (seed 004 "Add payment method").
 */
export function whmcsEmulator(options: WhmcsEmulatorOptions): Emulator {
  const store = new WhmcsStore();
  const now = options.now ?? (() => new Date());
  let down: { statusCode: number } | null = null;
  // The next `count` calls of `action` are carried out, then their answer is dropped.
  let lostAnswers: { action: string; count: number } | null = null;
  let base = '';

  const authenticated = (params: Params) => {
    const identifier = String(params.identifier ?? params.username ?? '');
    const secret = String(params.secret ?? params.password ?? '');
    return same(identifier, options.identifier) && same(secret, options.secret);
  };

  return {
    name: 'whmcs',
    prefix: '/whmcs',
    register(app: FastifyInstance, context: EmulatorContext) {
      base = `${context.publicUrl.replace(/\/$/, '')}/whmcs`;
      acceptForms(app);

      app.post('/includes/api.php', async (request, reply) => {
        if (down) {
          // An outage as a client sees it behind the web server: no JSON, just the status.
          return reply.code(down.statusCode).type('text/html').send('<h1>Service Unavailable</h1>');
        }
        const params = (request.body ?? {}) as Params;
        // Documentation is silent on the status: the sandbox answers credential failures with 403.
        if (!authenticated(params)) return reply.code(403).send({ result: 'error', message: 'Authentication Failed' });
        const action = Object.entries(ACTIONS).find(
          ([name]) => name.toLowerCase() === String(params.action ?? '').toLowerCase(),
        );
        if (!action) return { result: 'error', message: 'Command Not Found' };
        if (params.responsetype !== undefined && params.responsetype !== 'json') {
          return { result: 'error', message: 'The sandbox only answers responsetype=json' };
        }
        const outcome = action[1](params, { store, now: now(), baseUrl: base });
        if (lostAnswers && lostAnswers.action.toLowerCase() === action[0].toLowerCase()) {
          lostAnswers = lostAnswers.count > 1 ? { ...lostAnswers, count: lostAnswers.count - 1 } : null;
          // Done, but the connection drops before the answer: the caller cannot tell it was.
          request.raw.socket.destroy();
          return reply.hijack();
        }
        return 'error' in outcome ? { result: 'error', message: outcome.error } : { result: 'success', ...outcome.ok };
      });

      app.get('/oauth/singlesignon.php', async (request, reply) => {
        const { access_token } = z.object({ access_token: z.string().default('') }).parse(request.query);
        const redeemed = store.redeemSsoToken(access_token, now());
        if (!redeemed) {
          return reply
            .code(400)
            .type('text/html')
            .send(messagePage('Single Sign-On', 'This link has expired or was already used. Please try again.'));
        }
        reply.header('set-cookie', `${SESSION_COOKIE}=${redeemed.sessionId}; Path=/whmcs; HttpOnly; SameSite=Lax`);
        const target = redeemed.session.destination;
        const path =
          target === 'clientarea:billing_info' || target.includes('paymentmethods')
            ? PAYMENT_METHODS
            : '/clientarea.php';
        return reply.redirect(`${base}${path}`, 302);
      });

      app.get('/clientarea.php', async (request, reply) => {
        const session = store.session(cookie(request.headers.cookie, SESSION_COOKIE));
        if (!session) return loginRequired(reply);
        return reply.redirect(`${base}${PAYMENT_METHODS}`, 302);
      });

      app.get('/index.php', async (request, reply) => {
        const session = store.session(cookie(request.headers.cookie, SESSION_COOKIE));
        const client = session && store.client(session.clientid);
        if (!client) return loginRequired(reply);
        const { notice, error } = z
          .object({ notice: z.string().optional(), error: z.string().optional() })
          .parse(request.query);
        return reply.type('text/html').send(
          paymentMethodsPage({
            client,
            payMethods: store.payMethods.filter((p) => p.clientid === client.id),
            addAction: `${base}/index.php?rp=/account/paymentmethods/add`,
            notice,
            error,
          }),
        );
      });

      app.post('/index.php', async (request, reply) => {
        const session = store.session(cookie(request.headers.cookie, SESSION_COOKIE));
        const client = session && store.client(session.clientid);
        if (!client) return loginRequired(reply);
        const form = z
          .object({
            ccnumber: z.string().default(''),
            ccexpirydate: z.string().default(''),
            ccdescription: z.string().default(''),
          })
          .parse(request.body ?? {});
        const card = readCard(form.ccnumber, form.ccexpirydate, now());
        if ('error' in card)
          return reply.redirect(`${base}${PAYMENT_METHODS}&error=${encodeURIComponent(card.error)}`, 303);
        store.addPayMethod({
          clientid: client.id,
          type: 'RemoteCreditCard',
          description: form.ccdescription.trim(),
          gateway_name: 'stripe',
          card_last_four: card.lastFour,
          expiry_date: card.expiry,
          card_type: card.type,
          last_updated: lastUpdated(now()),
        });
        return reply.redirect(`${base}${PAYMENT_METHODS}&notice=${encodeURIComponent('Payment method added')}`, 303);
      });
    },
    control(app: FastifyInstance) {
      app.get('/state', async () => ({
        clients: store.clients.map((c) => ({ ...c, customfields: Object.fromEntries(c.customfields) })),
        payMethods: store.payMethods,
        orders: store.orders,
        services: store.services,
        invoices: store.invoices,
        products: PRODUCTS,
        down,
      }));
      app.post('/clients/:id/paymethods', async (request, reply) => {
        const { id } = z.object({ id: z.coerce.number().int() }).parse(request.params);
        if (!store.client(id)) return reply.code(404).send({ error: `No client ${id}` });
        const created = store.addPayMethod({
          clientid: id,
          type: 'RemoteCreditCard',
          description: 'Added through the control API',
          gateway_name: 'stripe',
          card_last_four: '4242',
          expiry_date: '12/30',
          card_type: 'Visa',
          last_updated: lastUpdated(now()),
        });
        return reply.code(201).send(created);
      });
      app.delete('/paymethods/:id', async (request, reply) => {
        const { id } = z.object({ id: z.coerce.number().int() }).parse(request.params);
        if (!store.removePayMethod(id)) return reply.code(404).send({ error: `No pay method ${id}` });
        return reply.code(204).send();
      });
      app.put('/lost-answers', async (request, reply) => {
        const body = z
          .object({
            action: z.string().refine((name) => name.toLowerCase() in lowerActions, 'not an action the sandbox knows'),
            count: z.number().int().min(0).max(100).default(1),
          })
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        lostAnswers = body.data.count > 0 ? body.data : null;
        return { lostAnswers };
      });
      app.put('/down', async (request, reply) => {
        const body = z
          .object({ down: z.boolean(), statusCode: z.number().int().min(500).max(599).default(503) })
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        down = body.data.down ? { statusCode: body.data.statusCode } : null;
        return { down };
      });
    },
    reset() {
      store.reset();
      down = null;
      lostAnswers = null;
    },
  };
}

function loginRequired(reply: FastifyReply) {
  return reply.code(401).type('text/html').send(messagePage('Login Required', 'Please sign in to continue.'));
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

/** A card as the gateway would tokenise it: Luhn-valid number, expiry not in the past. */
function readCard(
  number: string,
  expiry: string,
  now: Date,
): { error: string } | { lastFour: string; expiry: string; type: string } {
  const digits = number.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !luhn(digits)) return { error: 'The card number you entered is invalid' };
  const match = /^(\d{2})\s*\/\s*(\d{2})$/.exec(expiry.trim());
  const month = Number(match?.[1]);
  const year = 2000 + Number(match?.[2]);
  if (!match || month < 1 || month > 12) return { error: 'The expiry date must be MM/YY' };
  if (year < now.getUTCFullYear() || (year === now.getUTCFullYear() && month < now.getUTCMonth() + 1)) {
    return { error: 'The card has expired' };
  }
  const type = digits.startsWith('4')
    ? 'Visa'
    : /^(5[1-5]|2[2-7])/.test(digits)
      ? 'MasterCard'
      : digits.startsWith('3')
        ? 'American Express'
        : 'Card';
  return { lastFour: digits.slice(-4), expiry: `${match[1]}/${match[2]}`, type };
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** WHMCS shows `last_updated` as `dd/mm/YYYY HH:ii`. */
function lastUpdated(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}
