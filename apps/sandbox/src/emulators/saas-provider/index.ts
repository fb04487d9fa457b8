import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Emulator } from '../../emulator';
import { renderHostedPage } from '../shared/hostedPage';
import { randomSecret } from '../shared/ids';
import { flavourOf } from './flavours';
import {
  onboardBody,
  productParams,
  type TenantBody,
  tenantBody,
  tenantState,
  upgradeBody,
  validationError,
} from './requests';
import { SIGNATURE_HEADER, SignatureVerifier, TIMESTAMP_HEADER } from './signature';
import { KeyLedger, type Outcome, type Tenant, TenantBook } from './tenants';

const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** What the SaaS provider emulator reads from the environment. */
export const saasProviderEmulatorEnv = z.object({
  /** Verifies calls for every product without a secret of its own; unset, a random one is made. */
  SAAS_PROVIDER_SECRET: z
    .string()
    .min(16, 'must be at least 16 characters')
    .default(() => randomSecret()),
  /** Products' own secrets as JSON, e.g. `{"point-of-sale":"<secret>"}`. */
  SAAS_PROVIDER_SECRETS: z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (!value) return {};
      try {
        return JSON.parse(value) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON, e.g. {"point-of-sale":"<secret>"}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string().regex(SLUG, 'must be a product slug'), z.string().min(16, 'must be 16+ characters'))),
});

export interface SaasProviderEmulatorOptions {
  /** Verifies calls for every product without a secret of its own. */
  defaultSecret: string;
  /** Product slug -> its own secret. */
  secrets?: Record<string, string>;
  now?: () => Date;
}

type Operation = 'onboard' | 'suspend' | 'resume' | 'cancel' | 'upgrade' | 'status';
type OnboardAs = 'active' | 'provisioning';

interface ForcedFailure {
  operation: Operation;
  statusCode: number;
  error: string;
  message: string;
  remaining: number;
}

const failureBody = z.object({
  operation: z.enum(['onboard', 'suspend', 'resume', 'cancel', 'upgrade', 'status']).default('onboard'),
  statusCode: z.number().int().min(400).max(599).default(422),
  error: z.string().min(1).default('onboarding_refused'),
  message: z.string().min(1).default('The provider refused this request'),
  times: z.number().int().min(1).default(1),
});
const productSettingsBody = z.object({
  /** The product's own secret; null goes back to the default one. */
  secret: z.string().min(16).nullable().optional(),
  /** `provisioning`: onboard answers 202 and the tenant waits for .../activate. */
  onboardAs: z.enum(['active', 'provisioning']).optional(),
});

/** A body that is not JSON, told apart from a missing one so that it can be answered 400. */
const MALFORMED = Symbol('malformed JSON');

/**
 * A SaaS provider implementing Handover's provider contract (seed 003 §8,
 * docs/saas-provider-contract.openapi.yaml). Each product is its own provider under
 * `/saas/<product>`, with its own secret or the default one; `point-of-sale` is the seed's §12
 * flavour. Calls are verified as the contract tells providers to: HMAC signature, 5-minute
 * window, a (timestamp, signature) pair accepted once, an Idempotency-Key on every POST.
 */
export function saasProviderEmulator(options: SaasProviderEmulatorOptions): Emulator {
  const now = options.now ?? (() => new Date());
  const tenants = new TenantBook();
  const keys = new KeyLedger();
  const verifier = new SignatureVerifier();
  const secrets = new Map<string, string>();
  const onboardAs = new Map<string, OnboardAs>();
  let failures: ForcedFailure[] = [];
  const rawBodies = new WeakMap<FastifyRequest, string>();

  const restoreSettings = () => {
    secrets.clear();
    onboardAs.clear();
    for (const [product, secret] of Object.entries(options.secrets ?? {})) secrets.set(product, secret);
  };
  restoreSettings();

  const takeFailure = (operation: Operation): ForcedFailure | undefined => {
    const failure = failures.find((f) => f.operation === operation);
    if (failure) {
      failure.remaining -= 1;
      failures = failures.filter((f) => f.remaining > 0);
    }
    return failure;
  };

  /** Signature, then Idempotency-Key, then a failure the control API asked for. */
  const guard = (operation: Operation) => async (request: FastifyRequest, reply: FastifyReply) => {
    const params = productParams.safeParse(request.params);
    if (!params.success) return reply.code(404).send({ error: 'not_found', message: 'No such product' });
    const refusal = verifier.verify(
      {
        timestamp: header(request, TIMESTAMP_HEADER),
        signature: header(request, SIGNATURE_HEADER),
        signedContent: request.method === 'GET' ? request.url : (rawBodies.get(request) ?? ''),
      },
      secrets.get(params.data.product) ?? options.defaultSecret,
      now(),
    );
    if (refusal) return reply.code(401).send(refusal);
    if (request.method === 'POST' && !header(request, 'idempotency-key')) {
      return reply.code(400).send({ error: 'idempotency_key_missing', message: 'Idempotency-Key is required' });
    }
    if (request.method === 'POST' && request.body === MALFORMED) {
      return reply.code(400).send({ error: 'invalid_request', message: 'The body is not JSON' });
    }
    const failure = takeFailure(operation);
    if (failure) return reply.code(failure.statusCode).send({ error: failure.error, message: failure.message });
  };

  /** suspend, cancel and upgrade: find the tenant, check it is the order item's, act. */
  const lifecycle =
    <T extends TenantBody>(
      operation: 'suspend' | 'resume' | 'cancel' | 'upgrade',
      schema: z.ZodType<T>,
      act: (tenant: Tenant, body: T, product: string) => Outcome,
    ) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const { product } = productParams.parse(request.params);
      const body = schema.safeParse(request.body);
      if (!body.success) return reply.code(422).send(validationError(body.error));
      const tenant = tenants.find(product, body.data.external_reference);
      if (!tenant) return reply.code(404).send(tenantNotFound(body.data.external_reference));
      if (tenant.orderId !== body.data.order_id || tenant.orderItemId !== body.data.order_item_id) {
        return reply.code(422).send({
          error: 'reference_mismatch',
          message: `Tenant ${tenant.externalReference} belongs to another order item`,
        });
      }
      const target = { ...body.data, reason: undefined, options: undefined };
      if (!keys.claim(product, operation, header(request, 'idempotency-key') ?? '', target)) {
        return reply.code(422).send(keyReused());
      }
      const outcome = act(tenant, body.data, product);
      if ('refusal' in outcome) {
        const { status, ...refusal } = outcome.refusal;
        return reply.code(status).send(refusal);
      }
      return tenantState(outcome.tenant);
    };

  return {
    name: 'saas-provider',
    prefix: '/saas',
    idempotencyHeader: 'Idempotency-Key',
    register(app: FastifyInstance, context) {
      app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
        const raw = body as string;
        rawBodies.set(request, raw);
        if (raw === '') return done(null, undefined);
        try {
          done(null, JSON.parse(raw));
        } catch {
          done(null, MALFORMED);
        }
      });

      app.post('/:product/api/marketplace/onboard', { preHandler: guard('onboard') }, async (request, reply) => {
        const { product } = productParams.parse(request.params);
        const body = onboardBody.safeParse(request.body);
        if (!body.success) return reply.code(422).send(validationError(body.error));
        const flavour = flavourOf(product);
        const plan = body.data.plan ?? flavour.defaultPlan;
        if (flavour.plans && !flavour.plans.includes(plan)) {
          return reply.code(422).send(unknownPlan(plan, flavour.plans));
        }
        const productOptions = flavour.options.safeParse(body.data.options);
        if (!productOptions.success) return reply.code(422).send(validationError(productOptions.error, 'options'));
        if (!keys.claim(product, 'onboard', header(request, 'idempotency-key') ?? '', body.data)) {
          return reply.code(422).send(keyReused());
        }
        const { tenant, created } = tenants.onboard(
          {
            product,
            orderId: body.data.order_id,
            orderItemId: body.data.order_item_id,
            plan,
            customer: body.data.customer,
            options: productOptions.data,
            status: onboardAs.get(product) ?? 'active',
            linksAccounts: flavour.linksAccounts,
            workspaceBaseUrl: `${context.publicUrl}/saas/${product}/workspace`,
          },
          now(),
        );
        if (!created) reply.header('idempotent-replayed', 'true');
        const status = !created ? 200 : tenant.status === 'provisioning' ? 202 : 201;
        return reply.code(status).send(tenantState(tenant));
      });

      app.post(
        '/:product/api/marketplace/suspend',
        { preHandler: guard('suspend') },
        lifecycle('suspend', tenantBody('suspend'), (tenant) => tenants.suspend(tenant, now())),
      );
      app.post(
        '/:product/api/marketplace/resume',
        { preHandler: guard('resume') },
        lifecycle('resume', tenantBody('resume'), (tenant) => tenants.resume(tenant, now())),
      );
      app.post(
        '/:product/api/marketplace/cancel',
        { preHandler: guard('cancel') },
        lifecycle('cancel', tenantBody('cancel'), (tenant) => tenants.cancel(tenant, now())),
      );
      app.post(
        '/:product/api/marketplace/upgrade',
        { preHandler: guard('upgrade') },
        lifecycle('upgrade', upgradeBody, (tenant, body, product) => {
          const flavour = flavourOf(product);
          if (flavour.plans && !flavour.plans.includes(body.plan)) {
            return { refusal: { status: 422, ...unknownPlan(body.plan, flavour.plans) } };
          }
          const productOptions = flavour.options.safeParse({ ...tenant.options, ...body.options });
          if (!productOptions.success) {
            return { refusal: { status: 422, ...validationError(productOptions.error, 'options') } };
          }
          return tenants.changePlan(tenant, body.plan, productOptions.data, now());
        }),
      );

      app.get(
        '/:product/api/marketplace/status/:external_reference',
        { preHandler: guard('status') },
        async (request, reply) => {
          const { product, external_reference } = productParams
            .extend({ external_reference: z.string().min(1) })
            .parse(request.params);
          const tenant = tenants.find(product, external_reference);
          if (!tenant) return reply.code(404).send(tenantNotFound(external_reference));
          return tenantState(tenant);
        },
      );

      // Where "Open your workspace" leads in dev: a page about the tenant, unsigned like any web app.
      app.get('/:product/workspace/:tenantId', async (request, reply) => {
        const { product, tenantId } = productParams.extend({ tenantId: z.string() }).parse(request.params);
        const tenant = tenants.list().find((t) => t.product === product && t.externalTenantId === tenantId);
        reply.type('text/html; charset=utf-8');
        if (!tenant) return reply.code(404).send('<!doctype html><title>Not found</title><p>No such workspace.</p>');
        return renderHostedPage({
          title: `${product} workspace`,
          vendor: product,
          rows: [
            ['Tenant', tenant.externalTenantId],
            ['Customer', `${tenant.customer.name} <${tenant.customer.email}>`],
            ['Plan', tenant.plan],
            ['Status', tenant.status],
            ...Object.entries(tenant.options).map(([key, value]): [string, string] => [key, String(value)]),
          ],
          ...(tenant.status === 'active' ? {} : { notice: `This workspace is ${tenant.status}.` }),
          actions: [],
        });
      });
    },
    control(app: FastifyInstance) {
      app.get('/tenants', async () => ({ tenants: tenants.list() }));
      app.post('/tenants/:reference/activate', async (request, reply) => {
        const { reference } = z.object({ reference: z.string() }).parse(request.params);
        const tenant = tenants.list().find((t) => t.externalReference === reference);
        if (!tenant) return reply.code(404).send(tenantNotFound(reference));
        const outcome = tenants.activate(tenant, now());
        if ('refusal' in outcome) return reply.code(outcome.refusal.status).send(outcome.refusal);
        return tenantState(outcome.tenant);
      });
      app.put('/products/:product', async (request, reply) => {
        const params = productParams.safeParse(request.params);
        const body = productSettingsBody.safeParse(request.body ?? {});
        if (!params.success) return reply.code(404).send({ error: z.prettifyError(params.error) });
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const { product } = params.data;
        if (body.data.secret === null) secrets.delete(product);
        else if (body.data.secret) secrets.set(product, body.data.secret);
        if (body.data.onboardAs) onboardAs.set(product, body.data.onboardAs);
        return { product, ownSecret: secrets.has(product), onboardAs: onboardAs.get(product) ?? 'active' };
      });
      app.get('/failures', async () => ({ failures }));
      app.post('/failures', async (request, reply) => {
        const body = failureBody.safeParse(request.body ?? {});
        if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
        const { times, ...failure } = body.data;
        failures.push({ ...failure, remaining: times });
        return reply.code(201).send({ failures });
      });
    },
    reset() {
      tenants.reset();
      keys.reset();
      verifier.reset();
      failures = [];
      restoreSettings();
    },
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function tenantNotFound(reference: string) {
  return { error: 'tenant_not_found', message: `No tenant "${reference}"` };
}

function keyReused() {
  return { error: 'idempotency_key_reused', message: 'This Idempotency-Key was used with a different request' };
}

function unknownPlan(plan: string, plans: readonly string[]) {
  return { error: 'unknown_plan', message: `Unknown plan "${plan}"; plans: ${plans.join(', ')}` };
}
