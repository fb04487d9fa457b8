import { parseOptionValues, type TenantStatus } from '@handover/contracts';
import {
  type SaasMultitenantConfig,
  type SaasMultitenantOrder,
  saasMultitenantContract,
} from '@handover/contracts/drivers/saas-multitenant';
import {
  DEFAULT_RETRY_POLICY,
  type DriverServices,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  NotFoundError,
  PermanentError,
  type ProviderStatus,
  type RecordProductFacts,
  readKeyRingSecret,
  recordProductFacts,
  recordTenantLink,
  resumesOf,
  type StepContext,
  TransientError,
  updateTenantLink,
  waitFor,
} from '@handover/core';
import { z } from 'zod';
import { providerClientConfig } from './providerConfig';
import { RequestSigner } from './requestSigner';
import { type ProviderTenant, SaasProviderClient, type TenantRequest } from './saasProviderClient';

type Config = SaasMultitenantConfig;
type Input = SaasMultitenantOrder;
type Step = FulfillmentStepDefinition<Config, Input>;
type Context = StepContext<Config, Input>;

/** What the onboard step keeps of the provider's answer (no secret in it). */
const tenantOutput = z.object({
  externalReference: z.string(),
  externalTenantId: z.string(),
  externalCustomerId: z.string(),
  externalWorkspaceUrl: z.string(),
  status: z.enum(['provisioning', 'active', 'suspended', 'cancelled']),
  plan: z.string().nullable(),
  provider: z.string(),
});

/** Seed 003 §5.1 `external_provider`, or the product itself when none is named. */
const providerNameOf = (product: RecordProductFacts) => product.externalProvider ?? product.slug;

/** The product's signing secret from the key ring; missing, the call cannot be made at all. */
async function secretOf(em: Context['em'], services: DriverServices, config: Config): Promise<string> {
  try {
    return await readKeyRingSecret(em, services.secrets, config.credentials_ref);
  } catch (error) {
    if (error instanceof NotFoundError) {
      throw new PermanentError(
        `The key ring has no secret "${config.credentials_ref}" to sign calls to the provider with`,
        'credentials_missing',
      );
    }
    throw error;
  }
}

/** The first text the customer entered (a business name): what the record is listed as. */
function firstText(values: Record<string, unknown>): string | undefined {
  return Object.values(values).find((value): value is string => typeof value === 'string' && value.length > 0);
}

const PROVIDER_STATUS: Record<TenantStatus, ProviderStatus['status']> = {
  provisioning: 'pending',
  active: 'active',
  suspended: 'suspended',
  cancelled: 'cancelled',
};

/**
 * Seed 003's MultiTenantSaasAdapter (`point-of-sale` is its first product, §12): the vendor's
 * SaaS opens a tenant for the order item through the provider contract (§8,
 * docs/saas-providers.md): signed calls, one idempotency key per order item, a deterministic
 * answer whose workspace URL the customer opens. Suspend, resume and cancel follow the
 * subscription and refunds; the reconcile job reads the tenant's status.
 */
export function createSaasMultitenantAdapter(): FulfillmentAdapter<Config, Input> {
  // One signer for every provider, so no two calls are ever dated alike with the same content.
  const signer = new RequestSigner(() => new Date());
  const clients = new Map<string, SaasProviderClient>();
  const clientFor = (config: Config, provider: string) => {
    const settings = providerClientConfig(config, provider);
    const key = JSON.stringify(settings);
    let client = clients.get(key);
    if (!client) {
      client = new SaasProviderClient(settings, { signer });
      clients.set(key, client);
    }
    return client;
  };

  /** The provider's client, the signing secret and the tenant a lifecycle call names. */
  const lifecycle = async (ctx: Context, operation: 'suspend' | 'resume' | 'cancel') => {
    const product = await recordProductFacts(ctx.em, ctx.record.id);
    const tenant = tenantOutput.safeParse(ctx.outputs.onboard_tenant);
    const reference = ctx.record.externalReferenceId ?? (tenant.success ? tenant.data.externalReference : null);
    if (!reference) throw new PermanentError('The record names no tenant at the provider', 'missing_output');
    const resumes = await resumesOf(ctx.em, ctx.record.id);
    const request: TenantRequest = {
      externalReference: reference,
      orderId: ctx.record.orderId,
      orderItemId: ctx.record.orderItemId,
      reason: operation === 'cancel' ? 'refunded' : operation === 'suspend' ? 'subscription_unpaid_or_ended' : null,
      // The first suspension and its resume are cycle 1, the next ones 2, and so on.
      cycle: resumes + 1,
    };
    return {
      client: clientFor(ctx.config, providerNameOf(product)),
      secret: await secretOf(ctx.em, ctx.services, ctx.config),
      request,
    };
  };

  const steps: Step[] = [
    {
      // Seed 003 §4 step 5 "SaaS MT: calls external product onboarding API".
      name: 'onboard_tenant',
      label: 'Opening your workspace',
      async run({ config, input, record, em, services }) {
        const product = await recordProductFacts(em, record.id);
        const options = parseOptionValues(config.options, input.options);
        if (!options.ok) {
          throw new PermanentError(
            `The order's options no longer fit the product: ${Object.values(options.errors).flat().join('; ')}`,
            'invalid_options',
          );
        }
        const provider = providerNameOf(product);
        const tenant = await clientFor(config, provider).onboard(
          {
            orderId: record.orderId,
            orderItemId: record.orderItemId,
            productId: product.productId,
            externalProductRef: product.externalProductRef,
            plan: input.plan ?? config.default_plan ?? null,
            customer: { email: record.customerEmail, name: product.customerName },
            options: options.values,
            trialDays: product.trialDays,
          },
          await secretOf(em, services, config),
        );
        await recordTenantLink(em, { recordId: record.id, userId: record.userId, facts: linkFacts(tenant, provider) });
        return done(
          { ...pickTenant(tenant), provider },
          {
            externalReferenceId: tenant.externalReference,
            externalCustomerId: tenant.externalCustomerId,
            externalWorkspaceUrl: tenant.externalWorkspaceUrl,
          },
        );
      },
      // A later step failed for good: the tenant opened for nothing is cancelled.
      async compensate(ctx) {
        const { client, secret, request } = await lifecycle(ctx, 'cancel');
        await client.cancel({ ...request, reason: 'delivery_failed' }, secret);
        await updateTenantLink(ctx.em, ctx.record.id, { status: 'cancelled' });
      },
    },
    {
      // A provider that sets tenants up in the background answers 202 `provisioning`: poll status.
      name: 'wait_until_active',
      label: 'Waiting for your workspace to be ready',
      async run({ config, outputs, record, em, services, clock }) {
        const onboarded = tenantOutput.parse(outputs.onboard_tenant);
        if (onboarded.status === 'active') return done({ status: 'active' });
        const tenant = await clientFor(config, onboarded.provider).status(
          onboarded.externalReference,
          await secretOf(em, services, config),
        );
        await updateTenantLink(em, record.id, { status: tenant.status, plan: tenant.plan });
        if (tenant.status === 'active') return done({ status: 'active' });
        if (tenant.status === 'provisioning') {
          return waitFor('awaiting_provider', 'Your workspace is being set up by the provider', {
            pollAt: new Date(clock.now().getTime() + config.poll_interval_seconds * 1000),
            maxPolls: config.max_polls,
          });
        }
        throw new PermanentError(`The provider reports the new tenant as ${tenant.status}`, `tenant_${tenant.status}`);
      },
    },
  ];

  return {
    ...saasMultitenantContract,
    deliveryModels: ['saas_multitenant'],
    // docs/saas-providers.md: three tries, 2 s then 4 s apart, before ops are alerted.
    retryPolicy: DEFAULT_RETRY_POLICY,
    steps,
    completedStatus: 'active',
    describe: (input) => ({ subject: firstText(input.options) }),
    // "Open your workspace": the URL and plan, never an id the customer has no use for.
    result: (outputs) => {
      const tenant = tenantOutput.safeParse(outputs.onboard_tenant);
      return tenant.success ? { workspaceUrl: tenant.data.externalWorkspaceUrl, plan: tenant.data.plan } : {};
    },
    async syncStatus(ctx) {
      const { client, secret, request } = await lifecycle(ctx, 'suspend');
      try {
        const tenant = await client.status(request.externalReference, secret);
        await updateTenantLink(ctx.em, ctx.record.id, { status: tenant.status, plan: tenant.plan });
        return {
          status: PROVIDER_STATUS[tenant.status],
          details: { status: tenant.status, plan: tenant.plan },
        };
      } catch (error) {
        if (error instanceof PermanentError && error.code === 'tenant_not_found') {
          return { status: 'missing', message: `The provider no longer knows tenant ${request.externalReference}` };
        }
        throw error;
      }
    },
    async suspend(ctx) {
      const { client, secret, request } = await lifecycle(ctx, 'suspend');
      const tenant = await client.suspend(request, secret);
      await updateTenantLink(ctx.em, ctx.record.id, { status: tenant.status });
    },
    async resume(ctx) {
      const { client, secret, request } = await lifecycle(ctx, 'resume');
      const tenant = await client.resume(request, secret);
      await updateTenantLink(ctx.em, ctx.record.id, { status: tenant.status });
    },
    async cancel(ctx) {
      const { client, secret, request } = await lifecycle(ctx, 'cancel');
      const tenant = await client.cancel(request, secret);
      await updateTenantLink(ctx.em, ctx.record.id, { status: tenant.status });
    },
    // Seed 003 §7.3 "Test Connection": a signed status call for a tenant no one has; the
    // provider's `tenant_not_found` proves it is reachable and accepts our signature.
    async testConnection(config, { em, services }) {
      let secret: string;
      try {
        secret = await secretOf(em, services, config);
      } catch (error) {
        return { ok: false, message: (error as Error).message };
      }
      const client = new SaasProviderClient(providerClientConfig(config, 'connection test'), { signer });
      try {
        await client.status('handover-connection-test', secret);
        return { ok: true, message: `Reached ${config.base_url}; it accepted the signed call.` };
      } catch (error) {
        if (error instanceof PermanentError && error.code === 'tenant_not_found') {
          return {
            ok: true,
            message: `Reached ${config.base_url}: it accepted our signature and answered a status call (no such test tenant, as expected).`,
          };
        }
        if (error instanceof PermanentError && error.code === 'signature_refused') {
          return {
            ok: false,
            message: `${config.base_url} refused our signature: the secret under "${config.credentials_ref}" is not the one the provider has, or a clock is off.`,
          };
        }
        const kind = error instanceof TransientError ? 'did not answer properly' : 'refused the call';
        return { ok: false, message: `${config.base_url} ${kind}: ${(error as Error).message}` };
      }
    },
  };
}

function pickTenant(tenant: ProviderTenant) {
  return {
    externalReference: tenant.externalReference,
    externalTenantId: tenant.externalTenantId,
    externalCustomerId: tenant.externalCustomerId,
    externalWorkspaceUrl: tenant.externalWorkspaceUrl,
    status: tenant.status,
    plan: tenant.plan,
  };
}

function linkFacts(tenant: ProviderTenant, provider: string) {
  return {
    provider,
    externalTenantId: tenant.externalTenantId,
    externalSubscriptionId: tenant.externalSubscriptionId,
    externalUserId: tenant.externalUserId,
    plan: tenant.plan,
    status: tenant.status,
  };
}
