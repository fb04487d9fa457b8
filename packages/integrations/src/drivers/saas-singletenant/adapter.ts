import {
  type SaasSingletenantConfig,
  type SaasSingletenantOrder,
  saasSingletenantContract,
  singletenantSubject,
} from '@handover/contracts/drivers/saas-singletenant';
import {
  DEFAULT_RETRY_POLICY,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  PermanentError,
  type ProviderStatus,
  recordDedicatedInstance,
  recordProductFacts,
  type StepContext,
  setDedicatedInstanceStatus,
  waitFor,
} from '@handover/core';
import { z } from 'zod';
import type { InstanceProvisioningClient, InstanceStatus, ProvisionedInstance } from './instanceProvisioningClient';

type Config = SaasSingletenantConfig;
type Input = SaasSingletenantOrder;
type Step = FulfillmentStepDefinition<Config, Input>;

const created = z.object({ instanceId: z.string(), hostname: z.string(), cnameTarget: z.string().nullable() });
const ready = z.object({
  url: z.string(),
  hostname: z.string(),
  cnameTarget: z.string().nullable(),
  adminUsername: z.string(),
});

const PROVIDER_STATUS: Record<InstanceStatus, ProviderStatus['status']> = {
  provisioning: 'pending',
  ready: 'active',
  suspended: 'suspended',
  failed: 'failed',
};

/** The instance as Handover keeps it (its admin's password sealed by the core service). */
function facts(instance: ProvisionedInstance) {
  return {
    providerInstanceId: instance.id,
    template: instance.template,
    plan: instance.plan,
    region: instance.region,
    hostname: instance.domain.hostname,
    cnameTarget: instance.domain.cnameTarget,
    url: instance.url,
    status: instance.status,
    admin: instance.admin,
    readyAt: instance.readyAt ? new Date(instance.readyAt) : null,
  } as const;
}

/** The instance's id: the record's external reference, or what the create step kept. */
function instanceIdOf(ctx: StepContext<Config, Input>): string {
  const output = created.safeParse(ctx.outputs.create_instance);
  const id = ctx.record.externalReferenceId ?? (output.success ? output.data.instanceId : null);
  if (!id) throw new PermanentError('The record names no instance at the provider', 'missing_output');
  return id;
}

/**
 * Seed 003's SingleTenantProvisioningAdapter: a dedicated instance from the instance-provisioning
 * API (the product's template, resource profile and region; the customer's subdomain or own
 * domain), followed until it is ready, its URL and first admin handed over (the password sealed,
 * shown on request). A subscription's lapse suspends it, payment resumes it, a refund deletes it.
 */
export function createSaasSingletenantAdapter(client: InstanceProvisioningClient): FulfillmentAdapter<Config, Input> {
  const steps: Step[] = [
    {
      // Seed 003 §4 step 5 "SaaS ST: creates dedicated installation/provisioning job".
      name: 'create_instance',
      label: 'Ordering your dedicated instance',
      async run({ config, input, record, idempotencyKey, em, services }) {
        const product = await recordProductFacts(em, record.id);
        const instance = await client.createInstance(
          {
            template: config.template,
            plan: config.resource_profile,
            region: input.region ?? config.regions[0] ?? '',
            domain:
              input.domainStrategy === 'subdomain'
                ? { strategy: 'subdomain', subdomain: input.subdomain }
                : { strategy: 'custom_domain', hostname: input.customDomain },
            label: `${record.orderCode} ${product.name}`.slice(0, 255),
            adminEmail: record.customerEmail,
            metadata: { order_id: record.orderId, order_item_id: record.orderItemId, record_id: record.id },
          },
          idempotencyKey,
        );
        await recordDedicatedInstance(em, services.secrets, {
          recordId: record.id,
          userId: record.userId,
          facts: facts(instance),
        });
        return done(
          { instanceId: instance.id, hostname: instance.domain.hostname, cnameTarget: instance.domain.cnameTarget },
          { externalReferenceId: instance.id },
        );
      },
      // The instance made for a delivery that failed is deleted (and its host name freed).
      async compensate({ output, record, em }) {
        await client.deleteInstance(created.parse(output).instanceId);
        await setDedicatedInstanceStatus(em, record.id, 'deleted');
      },
    },
    {
      // Provisioning takes minutes: poll until ready (seed 003 "polls until ready").
      name: 'wait_until_ready',
      label: 'Setting up your instance',
      async run({ config, outputs, record, em, services, clock }) {
        const { instanceId } = created.parse(outputs.create_instance);
        const instance = await client.getInstance(instanceId);
        await recordDedicatedInstance(em, services.secrets, {
          recordId: record.id,
          userId: record.userId,
          facts: facts(instance),
        });
        if (instance.status === 'provisioning') {
          return waitFor('awaiting_provider', 'Your dedicated instance is being set up; this takes a few minutes', {
            pollAt: new Date(clock.now().getTime() + config.poll_interval_seconds * 1000),
            maxPolls: config.max_polls,
          });
        }
        if (instance.status !== 'ready' || !instance.url || !instance.admin) {
          const why = instance.error ? `${instance.error.message} (${instance.error.code})` : instance.status;
          throw new PermanentError(`The instance could not be provisioned: ${why}`, 'instance_failed');
        }
        // The admin's password is sealed in dedicated_instances; the journal keeps only the login.
        return done({
          url: instance.url,
          hostname: instance.domain.hostname,
          cnameTarget: instance.domain.cnameTarget,
          adminUsername: instance.admin.username,
        });
      },
    },
  ];

  return {
    ...saasSingletenantContract,
    deliveryModels: ['saas_singletenant'],
    retryPolicy: DEFAULT_RETRY_POLICY,
    steps,
    completedStatus: 'active',
    describe: (input) => ({ subject: singletenantSubject(input) }),
    // The address and the admin's login; the password only on request (never in the result).
    result: (outputs) => {
      const parsed = ready.safeParse(outputs.wait_until_ready);
      return parsed.success ? parsed.data : {};
    },
    async syncStatus(ctx) {
      const id = instanceIdOf(ctx);
      try {
        const instance = await client.getInstance(id);
        await setDedicatedInstanceStatus(ctx.em, ctx.record.id, instance.status);
        return { status: PROVIDER_STATUS[instance.status], details: { status: instance.status, url: instance.url } };
      } catch (error) {
        if (error instanceof PermanentError && error.options.httpStatus === 404) {
          return { status: 'missing', message: `The provider no longer has instance ${id}` };
        }
        throw error;
      }
    },
    async suspend(ctx) {
      await client.suspendInstance(instanceIdOf(ctx));
      await setDedicatedInstanceStatus(ctx.em, ctx.record.id, 'suspended');
    },
    async resume(ctx) {
      await client.resumeInstance(instanceIdOf(ctx));
      await setDedicatedInstanceStatus(ctx.em, ctx.record.id, 'ready');
    },
    async cancel(ctx) {
      await client.deleteInstance(instanceIdOf(ctx));
      await setDedicatedInstanceStatus(ctx.em, ctx.record.id, 'deleted');
    },
    // Seed 003 §7.3: an authenticated read of an instance no one has; `not_found` proves the key works.
    async testConnection(config) {
      try {
        await client.getInstance('handover-connection-test');
        return { ok: true, message: 'Reached the instance-provisioning API with our key.' };
      } catch (error) {
        if (error instanceof PermanentError && error.options.httpStatus === 404) {
          return {
            ok: true,
            message: `Reached the instance-provisioning API with our key (template ${config.template}, ${config.resource_profile}, regions ${config.regions.join(', ')}).`,
          };
        }
        return { ok: false, message: `The instance-provisioning API: ${(error as Error).message}` };
      }
    },
  };
}
