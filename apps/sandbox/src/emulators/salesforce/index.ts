import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator, EmulatorContext } from '../../emulator';
import { acceptForms } from '../shared/forms';
import { callProvision, type ProvisionAttempt } from './provisionCall';
import {
  ACCOUNTS,
  type Account,
  type FieldValue,
  type OrderRecord,
  orderFieldErrors,
  PRODUCTS,
  recordId,
  type SalesforceError,
} from './records';
import { reviewPage } from './reviewPage';

export const salesforceEmulatorEnv = z.object({
  /** The connected app's consumer key and secret (client-credentials flow). Unset, random. */
  SALESFORCE_CLIENT_ID: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(16).toString('hex')),
  SALESFORCE_CLIENT_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomBytes(24).toString('hex')),
  /** How long an access token lives (the org's session timeout; Salesforce's default is 2 hours). */
  SALESFORCE_SESSION_TIMEOUT_SECONDS: z.coerce.number().int().min(1).default(7200),
  /** Handover's base URL for the Provision action; unset, the sandbox's webhook base URL. */
  HANDOVER_PROVISION_URL: z.url().optional(),
  /** Handover's PROVISION_API_SECRETS; the first signs. Unset, a random one that signs for nobody. */
  PROVISION_API_SECRETS: z
    .string()
    .optional()
    .transform((value) => value?.split(',')[0]?.trim() || randomBytes(32).toString('hex')),
});

export interface SalesforceEmulatorOptions {
  clientId: string;
  clientSecret: string;
  sessionTimeoutSeconds?: number;
  /** Where the Provision action calls Handover; defaults to the sandbox's webhook base URL. */
  handoverUrl?: string;
  provisionSecret: string;
  now?: () => Date;
}

export interface ReceivedPatch {
  orderId: string;
  fields: Record<string, unknown>;
  status: number;
  at: string;
}

const ORG_ID = '00DSb0000000001EAA';
const USER_ID = '005Sb0000000001AAA';
const notFound: SalesforceError[] = [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }];
const invalidSession: SalesforceError[] = [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];

/**
 * The operator system, Salesforce-shaped (seed 004): the OAuth 2.0 client-credentials token
 * endpoint, sObject rows for Order (GET, POST, PATCH: 204, Salesforce's error arrays, 401
 * INVALID_SESSION_ID once a token's session timed out), and the ops' order list where Approve
 * and Provision live; Provision calls Handover's signed POST /provision/orders/:id.
 * GET /services/apexrest/catalog/personalized is Handover's assumption: Salesforce has no such
 * endpoint, so it stands for an org's Apex REST class filtering portal-visible Product2 records
 * by the account's eligibility fields.
 */
export function salesforceEmulator(options: SalesforceEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const timeoutMs = (options.sessionTimeoutSeconds ?? 7200) * 1000;
  const tokens = new Map<string, number>();
  const orders = new Map<string, OrderRecord>();
  const accounts = new Map<string, Account>();
  let patches: ReceivedPatch[] = [];
  let provisions: ProvisionAttempt[] = [];
  let patchFailures: { remaining: number; statusCode: number; errorCode: string; orderId?: string } = {
    remaining: 0,
    statusCode: 500,
    errorCode: 'UNKNOWN_EXCEPTION',
  };
  let orderNumber = 100;
  let upserts = 0;
  let base = '';
  let webhookBaseUrl: () => string | undefined = () => undefined;

  const resetRecords = () => {
    tokens.clear();
    orders.clear();
    accounts.clear();
    for (const account of ACCOUNTS) accounts.set(account.Id, { ...account });
    patches = [];
    provisions = [];
    patchFailures = { remaining: 0, statusCode: 500, errorCode: 'UNKNOWN_EXCEPTION' };
    orderNumber = 100;
    upserts = 0;
  };
  resetRecords();

  const createOrder = (fields: Record<string, FieldValue>): OrderRecord => {
    const at = now().toISOString().replace('Z', '+0000');
    orderNumber += 1;
    const order: OrderRecord = {
      Status: 'Pending Review',
      Activation_Type__c: 'Immediate',
      Activation_Status__c: 'Not Started',
      EffectiveDate: at.slice(0, 10),
      ...fields,
      Id: recordId('801'),
      OrderNumber: String(orderNumber).padStart(8, '0'),
      CreatedDate: at,
      LastModifiedDate: at,
    };
    orders.set(order.Id, order);
    return order;
  };

  const requireSession = async (request: FastifyRequest, reply: FastifyReply) => {
    const token = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const expiresAt = token ? tokens.get(token) : undefined;
    if (expiresAt === undefined || expiresAt <= now().getTime()) return reply.code(401).send(invalidSession);
  };

  return {
    name: 'salesforce',
    prefix: '/salesforce',
    register(app: FastifyInstance, context: EmulatorContext) {
      base = `${context.publicUrl.replace(/\/$/, '')}/salesforce`;
      webhookBaseUrl = context.webhookBaseUrl;
      acceptForms(app);

      app.post('/services/oauth2/token', async (request, reply) => {
        const form = (request.body ?? {}) as Record<string, unknown>;
        if (form.grant_type !== 'client_credentials') {
          return reply
            .code(400)
            .send({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
        }
        if (
          !same(String(form.client_id ?? ''), options.clientId) ||
          !same(String(form.client_secret ?? ''), options.clientSecret)
        ) {
          return reply.code(400).send({ error: 'invalid_client', error_description: 'invalid client credentials' });
        }
        const issuedAt = String(now().getTime());
        const accessToken = `${ORG_ID}!${randomBytes(48).toString('base64url')}`;
        tokens.set(accessToken, now().getTime() + timeoutMs);
        const id = `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`;
        // No expires_in: Salesforce tokens last for the org's session timeout, found out by a 401.
        return {
          access_token: accessToken,
          signature: createHmac('sha256', options.clientSecret).update(`${id}${issuedAt}`).digest('base64'),
          scope: 'api',
          instance_url: base,
          id,
          token_type: 'Bearer',
          issued_at: issuedAt,
        };
      });

      app.register(async (api) => {
        api.addHook('onRequest', requireSession);
        const orderParams = z.object({ version: z.string().regex(/^v\d+\.\d$/), id: z.string() });

        api.get('/services/data/:version/sobjects/Order/:id', async (request, reply) => {
          const params = orderParams.safeParse(request.params);
          const order = params.success ? orders.get(params.data.id) : undefined;
          if (!params.success || !order) return reply.code(404).send(notFound);
          return {
            attributes: { type: 'Order', url: `/services/data/${params.data.version}/sobjects/Order/${order.Id}` },
            ...order,
          };
        });

        api.post('/services/data/:version/sobjects/Order', async (request, reply) => {
          const body = request.body;
          if (!body || typeof body !== 'object' || Array.isArray(body)) {
            return reply
              .code(400)
              .send([{ message: 'The request body must be a JSON object', errorCode: 'JSON_PARSER_ERROR' }]);
          }
          const errors = orderFieldErrors(body as Record<string, unknown>);
          if (errors.length > 0) return reply.code(400).send(errors);
          const order = createOrder(body as Record<string, FieldValue>);
          return reply.code(201).send({ id: order.Id, success: true, errors: [] });
        });

        // Upsert by external id (REST API "Insert or Update (Upsert) a Record Using an External
        // ID"): Handover_Order_Id__c is an External ID field in this org, so one Handover order
        // never makes two Orders however often the call is repeated. 201 when made, 200 when found.
        api.patch('/services/data/:version/sobjects/Order/Handover_Order_Id__c/:value', async (request, reply) => {
          const { value } = request.params as { value: string };
          const body = request.body;
          if (!body || typeof body !== 'object' || Array.isArray(body)) {
            return reply
              .code(400)
              .send([{ message: 'The request body must be a JSON object', errorCode: 'JSON_PARSER_ERROR' }]);
          }
          const fields = body as Record<string, unknown>;
          const errors = orderFieldErrors(fields);
          if (errors.length > 0) return reply.code(400).send(errors);
          upserts += 1;
          const existing = [...orders.values()].find((order) => order.Handover_Order_Id__c === value);
          if (existing) {
            Object.assign(existing, fields, { LastModifiedDate: now().toISOString().replace('Z', '+0000') });
            return reply.code(200).send({ id: existing.Id, success: true, errors: [], created: false });
          }
          const order = createOrder({ ...(fields as Record<string, FieldValue>), Handover_Order_Id__c: value });
          return reply.code(201).send({ id: order.Id, success: true, errors: [], created: true });
        });

        // An Account by its Customer_Number__c (an External ID field): GET sobjects/Account/{field}/{value}.
        api.get('/services/data/:version/sobjects/Account/Customer_Number__c/:value', async (request, reply) => {
          const { version, value } = request.params as { version: string; value: string };
          const account = [...accounts.values()].find((candidate) => candidate.Customer_Number__c === value);
          if (!account) return reply.code(404).send(notFound);
          return {
            attributes: { type: 'Account', url: `/services/data/${version}/sobjects/Account/${account.Id}` },
            ...account,
          };
        });

        api.patch('/services/data/:version/sobjects/Order/:id', async (request, reply) => {
          const params = orderParams.safeParse(request.params);
          const fields = (request.body ?? {}) as Record<string, unknown>;
          const record = (status: number) =>
            patches.push({ orderId: params.data?.id ?? '', fields, status, at: now().toISOString() });
          const failing = patchFailures.orderId === undefined || patchFailures.orderId === params.data?.id;
          if (patchFailures.remaining > 0 && failing) {
            patchFailures.remaining -= 1;
            record(patchFailures.statusCode);
            return reply.code(patchFailures.statusCode).send([
              {
                message:
                  'An unexpected error occurred. Please include this ErrorId if you contact support: 0-0 (sandbox)',
                errorCode: patchFailures.errorCode,
              },
            ]);
          }
          const order = params.success ? orders.get(params.data.id) : undefined;
          if (!order) {
            record(404);
            return reply.code(404).send(notFound);
          }
          if (typeof fields !== 'object' || Array.isArray(fields)) {
            record(400);
            return reply
              .code(400)
              .send([{ message: 'The request body must be a JSON object', errorCode: 'JSON_PARSER_ERROR' }]);
          }
          const errors = orderFieldErrors(fields);
          if (errors.length > 0) {
            record(400);
            return reply.code(400).send(errors);
          }
          Object.assign(order, fields, { LastModifiedDate: now().toISOString().replace('Z', '+0000') });
          record(204);
          return reply.code(204).send();
        });

        api.get('/services/apexrest/catalog/personalized', async (request, reply) => {
          const { accountId } = z.object({ accountId: z.string().optional() }).parse(request.query);
          if (!accountId) {
            return reply.code(400).send([{ message: 'accountId is required', errorCode: 'INVALID_QUERY_PARAMETER' }]);
          }
          const account = accounts.get(accountId);
          if (!account) return reply.code(404).send(notFound);
          const eligibility = (account.Internet_Eligibility__c ?? '').split(';').filter(Boolean);
          return {
            accountId: account.Id,
            eligibility: { Internet_Eligibility__c: eligibility },
            products: PRODUCTS.filter((p) => p.IsActive && p.Portal_Visible__c).filter(
              (p) => p.Eligibility_Requirement__c === null || eligibility.includes(p.Eligibility_Requirement__c),
            ),
          };
        });
      });

      app.get('/lightning/orders', async (request, reply) => {
        const { notice } = z.object({ notice: z.string().optional() }).parse(request.query);
        return reply.type('text/html').send(reviewPage({ orders: [...orders.values()], base, notice }));
      });

      app.post('/lightning/orders/:id/approve', async (request, reply) => {
        const order = orders.get((request.params as { id: string }).id);
        if (!order) return reply.code(404).type('text/html').send('<h1>Order not found</h1>');
        if (order.Status === 'Pending Review') order.Status = 'Approved';
        return back(reply, `Order ${order.OrderNumber} is ${order.Status}`);
      });

      app.post('/lightning/orders/:id/provision', async (request, reply) => {
        const order = orders.get((request.params as { id: string }).id);
        if (!order) return reply.code(404).type('text/html').send('<h1>Order not found</h1>');
        if (order.Status !== 'Approved') return back(reply, `Order ${order.OrderNumber} must be Approved first`);
        if (!order.Handover_Order_Id__c) return back(reply, `Order ${order.OrderNumber} has no Handover order id`);
        const { approvedBy } = z
          .object({ approvedBy: z.string().trim().min(1).default('Sandbox Ops') })
          .parse(request.body ?? {});
        const attempt = await callProvision({
          baseUrl: options.handoverUrl ?? webhookBaseUrl(),
          secret: options.provisionSecret,
          orderId: order.Id,
          handoverOrderId: String(order.Handover_Order_Id__c),
          approvedBy,
          now: now(),
        });
        provisions.push(attempt);
        const outcome = attempt.error
          ? `Provision failed: ${attempt.error}`
          : `Handover answered ${attempt.status}: ${JSON.stringify(attempt.response)}`;
        return back(reply, outcome);
      });
    },
    control(app: FastifyInstance) {
      app.get('/orders', async () => ({ orders: [...orders.values()], upserts }));
      app.post('/orders', async (request, reply) => {
        const fields = (request.body ?? {}) as Record<string, unknown>;
        const errors = orderFieldErrors(fields);
        if (errors.length > 0) return reply.code(400).send(errors);
        return reply.code(201).send(createOrder(fields as Record<string, FieldValue>));
      });
      app.get('/patches', async () => ({ patches }));
      app.get('/provisions', async () => ({ provisions }));
      app.put('/patch-failures', async (request, reply) => {
        const body = z
          .object({
            count: z.number().int().min(0).max(100),
            statusCode: z.number().int().min(400).max(599).default(500),
            errorCode: z.string().default('UNKNOWN_EXCEPTION'),
            /** Only PATCHes of this Order fail; without it, any Order's. */
            orderId: z.string().min(1).max(18).optional(),
          })
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        patchFailures = {
          remaining: body.data.count,
          statusCode: body.data.statusCode,
          errorCode: body.data.errorCode,
          orderId: body.data.orderId,
        };
        return patchFailures;
      });
      app.post('/tokens/expire', async (_request, reply) => {
        for (const token of tokens.keys()) tokens.set(token, 0);
        return reply.code(204).send();
      });
      app.get('/accounts', async () => ({ accounts: [...accounts.values()], products: PRODUCTS }));
      app.put('/accounts/:id', async (request, reply) => {
        const account = accounts.get((request.params as { id: string }).id);
        if (!account) return reply.code(404).send({ error: 'No such account' });
        const body = z
          .object({ Internet_Eligibility__c: z.string().nullable() })
          .strict()
          .safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        Object.assign(account, body.data);
        return account;
      });
    },
    reset: resetRecords,
  };

  function back(reply: FastifyReply, notice: string) {
    return reply.redirect(`${base}/lightning/orders?notice=${encodeURIComponent(notice)}`, 303);
  }
}

function same(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
