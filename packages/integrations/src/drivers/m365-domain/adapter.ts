import {
  M365_DOMAIN_DRIVER,
  type M365DomainConfig,
  type M365DomainInput,
  m365DomainContract,
  m365DomainOrderSchema,
} from '@handover/contracts/drivers/m365-domain';
import {
  assignInventory,
  checkInventoryPoolExists,
  checkM365DomainsAvailable,
  DEFAULT_RETRY_POLICY,
  type DriverServices,
  domainInUseMessage,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  findDomainsInUse,
  findHeldInventory,
  NotFoundError,
  PermanentError,
  recordDomainDelivery,
  releaseReservation,
  reserveInventory,
  TransientError,
  unassignInventory,
  waitFor,
} from '@handover/core';
import { z } from 'zod';
import type { PlugsaasClient, PlugsaasOrderRequest } from './plugsaasClient';

type Step = FulfillmentStepDefinition<M365DomainConfig, M365DomainInput>;
type Outputs = Readonly<Record<string, Record<string, unknown>>>;

/** Seed 000's rollback names the failure "PlugSaaS API error"; the class (retry or not) is kept. */
async function plugsaas<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TransientError) {
      throw new TransientError(`PlugSaaS API error: ${error.message}`, error.code, error.options);
    }
    if (error instanceof PermanentError) {
      throw new PermanentError(`PlugSaaS API error: ${error.message}`, error.code, error.options);
    }
    throw error;
  }
}

function outputOf<T extends z.ZodType>(outputs: Outputs, step: string, schema: T): z.output<T> {
  const parsed = schema.safeParse(outputs[step]);
  if (!parsed.success) throw new PermanentError(`The ${step} step left no usable output`, 'missing_output');
  return parsed.data;
}
const reserved = z.object({ itemId: z.string(), msAccountEmail: z.string() });
const created = z.object({ plugsaasOrderId: z.string() });
const nameservers = z.object({ nameservers: z.array(z.string()).min(1) });

/** What addOrder is sent for a record: the same on every attempt, so that its key replays it. */
function orderRequest(
  input: M365DomainInput,
  item: { email: string; secretEncrypted: string },
  services: DriverServices,
): PlugsaasOrderRequest {
  return {
    domain: input.domain,
    forwardingUrl: input.forwardingUrl,
    names: input.names,
    microsoftEmail: item.email,
    // Decrypted only for this call; the client hides it in every logged request.
    microsoftPassword: services.secrets.decrypt(item.secretEncrypted),
  };
}

function steps(client: PlugsaasClient): Step[] {
  return [
    {
      // Seed 000's form refuses a domain already set up; this catches two orders paid at once.
      name: 'check_domain',
      label: 'Checking your domain is not already set up',
      async run({ input, record, em }) {
        const inUse = await findDomainsInUse(em, M365_DOMAIN_DRIVER, [input.domain], {
          asSeenBy: { recordId: record.id, checkStep: 'check_domain' },
        });
        if (inUse.size > 0) throw new PermanentError(domainInUseMessage(input.domain), 'domain_in_use');
        return done({ domain: input.domain });
      },
    },
    {
      // Seed 000 steps 3.1–3.2: the oldest available account, reserved for this order.
      name: 'reserve_account',
      label: 'Reserving your Microsoft 365 account',
      async run({ config, record, em, clock }) {
        try {
          const item = await reserveInventory(em, {
            poolSlug: config.inventoryPool,
            recordId: record.id,
            orderId: record.orderId,
            now: clock.now(),
          });
          if (!item)
            return waitFor('awaiting_inventory', 'Waiting for a Microsoft 365 account to be added to our stock');
          return done({ itemId: item.id, msAccountEmail: item.email });
        } catch (error) {
          if (error instanceof NotFoundError) throw new PermanentError(error.message, 'inventory_pool_missing');
          throw error;
        }
      },
      // Seed 000's rollback: the account goes back to `available`, its order id cleared.
      async compensate({ record, em, clock }) {
        await releaseReservation(em, record.id, clock.now());
      },
    },
    {
      // Seed 000 step 3.3: POST /api/addOrder with the account's credentials.
      name: 'create_plugsaas_order',
      label: 'Setting up Microsoft 365 mail for your domain',
      async run({ input, record, idempotencyKey, em, services }) {
        const item = await findHeldInventory(em, record.id);
        if (!item)
          throw new PermanentError('No Microsoft 365 account is reserved for this domain', 'missing_reservation');
        const { orderId } = await plugsaas(() => client.addOrder(orderRequest(input, item, services), idempotencyKey));
        return done({ plugsaasOrderId: orderId }, { externalReferenceId: orderId });
      },
      async compensate({ output }) {
        const { plugsaasOrderId } = created.parse(output);
        await plugsaas(() => client.deleteOrder(plugsaasOrderId));
      },
      // The last attempt's answer never came (a timeout, a dropped connection): PlugSaaS may have
      // made the order, with the account in it. Asked again under the attempt's key, it answers
      // with that order (or makes it now), which is then deleted; until that succeeds the account
      // is quarantined instead of going back to the pool.
      async compensateAttempt({ input, record, idempotencyKey, em, services }) {
        // Quarantined when an earlier try of this undo failed.
        const item = await findHeldInventory(em, record.id, { quarantined: true });
        if (!item) return;
        let orderId: string;
        try {
          ({ orderId } = await plugsaas(() => client.addOrder(orderRequest(input, item, services), idempotencyKey)));
        } catch (error) {
          // PlugSaaS refuses the request itself (it is invalid): no attempt could have made an order.
          if (error instanceof PermanentError && error.options.httpStatus === 422) return;
          throw error;
        }
        await plugsaas(() => client.deleteOrder(orderId));
      },
    },
    {
      // Seed 000 step 3.4: the nameservers the customer sets at their registrar.
      name: 'get_nameservers',
      label: 'Getting the nameservers for your domain',
      async run({ outputs }) {
        const { plugsaasOrderId } = outputOf(outputs, 'create_plugsaas_order', created);
        const found = await plugsaas(() => client.getNameservers(plugsaasOrderId));
        if (found.length === 0) {
          throw new TransientError(
            `PlugSaaS API error: no nameservers yet for ${plugsaasOrderId}`,
            'nameservers_missing',
          );
        }
        return done({ nameservers: found });
      },
    },
    {
      // Seed 000 step 3.5: reserved → assigned, with the customer's email, the domain and the date.
      name: 'assign_account',
      label: 'Assigning the Microsoft 365 account to you',
      async run({ input, record, em, clock }) {
        const now = clock.now();
        await assignInventory(em, { recordId: record.id, customerEmail: input.email, domain: input.domain, now });
        return done({ assignedAt: now.toISOString() });
      },
      // Back to reserved, so that undoing the reservation returns the account to the pool.
      async compensate({ record, em, clock }) {
        await unassignInventory(em, record.id, clock.now());
      },
    },
    {
      // Seed 000 step 3.6: nameservers and results on the order; dns_status pending_verification.
      name: 'update_order',
      label: 'Saving the details on your order',
      async run({ input, outputs, record, em, clock }) {
        const { msAccountEmail } = outputOf(outputs, 'reserve_account', reserved);
        const { plugsaasOrderId } = outputOf(outputs, 'create_plugsaas_order', created);
        await recordDomainDelivery(em, {
          orderId: record.orderId,
          recordId: record.id,
          domain: input.domain,
          nameservers: outputOf(outputs, 'get_nameservers', nameservers).nameservers,
          details: { msAccountEmail, plugsaasOrderId },
          now: clock.now(),
        });
        return done({});
      },
    },
  ];
}

/**
 * Seed 000's `m365-domain` driver: a Microsoft 365 account from inventory, an order at
 * PlugSaaS, its nameservers handed to the customer. The record ends `completed`; the DNS
 * cron (verify_dns) makes it `active` once the domain points at the nameservers.
 */
export function createM365DomainAdapter(client: PlugsaasClient): FulfillmentAdapter<M365DomainConfig, M365DomainInput> {
  return {
    ...m365DomainContract,
    deliveryModels: ['domain_provisioning'],
    // Seed 000: three attempts, 2 s and then 4 s apart, before the rollback.
    retryPolicy: DEFAULT_RETRY_POLICY,
    steps: steps(client),
    checkConfig: (em, config) => checkInventoryPoolExists(em, config.inventoryPool),
    checkOrderLine: (em, form) =>
      checkM365DomainsAvailable(
        em,
        m365DomainOrderSchema.parse(form).domains.map((entry) => entry.domain),
      ),
    describe: (input) => ({ subject: input.domain }),
    // What the customer sees: never the Microsoft account or its password.
    resultLabels: { plugsaasOrderId: 'Setup reference (quote it to our support)', dns_verified: null },
    result: (outputs, input) => ({
      domain: input.domain,
      nameservers: outputs.get_nameservers?.nameservers ?? [],
      plugsaasOrderId: outputs.create_plugsaas_order?.plugsaasOrderId ?? null,
      dns_verified: false,
    }),
    // PlugSaaS still has the order, with the nameservers the customer was given.
    async syncStatus({ record, outputs }) {
      const orderId = record.externalReferenceId ?? outputOf(outputs, 'create_plugsaas_order', created).plugsaasOrderId;
      const given = outputOf(outputs, 'get_nameservers', nameservers).nameservers;
      const current = await plugsaas(() => client.findNameservers(orderId));
      if (current === null) return { status: 'missing', message: `PlugSaaS no longer has order ${orderId}` };
      const same = current.length === given.length && current.every((ns) => given.includes(ns));
      return same
        ? { status: 'active', details: { nameservers: current } }
        : {
            status: 'failed',
            message: `PlugSaaS now gives ${current.join(', ')} for order ${orderId}, not the ${given.join(', ')} the customer was told`,
            details: { nameservers: current, given },
          };
    },
    testConnection: () => client.checkCredentials(),
    testConnectionCalls: 'PlugSaaS, with the API key in PLUGSAAS_API_KEY',
  };
}
