import { type WhmcsInput, type WhmcsProductConfig, whmcsContract } from '@handover/contracts/drivers/whmcs';
import {
  type BillingSystem,
  done,
  ensureBillingAccount,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  findOperatorOrderId,
  PermanentError,
  type ProviderStatus,
  type StepContext,
  type StepResult,
  TransientError,
  waitFor,
} from '@handover/core';
import type { WhmcsClient } from './whmcsClient';

type Step = FulfillmentStepDefinition<WhmcsProductConfig, WhmcsInput>;
type Context = StepContext<WhmcsProductConfig, WhmcsInput>;

/** Polls while WHMCS's circuit is open: a day's worth at the breaker's pace, none of them an attempt. */
const OUTAGE_POLLS = 2_880;

/**
 * A step that waits out a WHMCS outage as `awaiting_provider` instead of spending the record's
 * attempts on it: a transient failure that leaves the circuit breaker open (the call it refused,
 * the failure that opened it, a probe that failed) polls again when the breaker lets a probe
 * through. Failures while the breaker is still closed count as attempts, as usual.
 */
function outageAware(step: Step, client: WhmcsClient): Step {
  return {
    ...step,
    async run(ctx: Context): Promise<StepResult> {
      try {
        return await step.run(ctx);
      } catch (error) {
        const outage =
          error instanceof TransientError && (error.code === 'circuit_open' || client.breakerState === 'open');
        if (!outage) throw error;
        const waitMs = (error as TransientError).options.retryAfterMs ?? client.breakerReopensInMs;
        return waitFor(
          'awaiting_provider',
          'Our billing system is not answering; we will carry on as soon as it is back',
          {
            pollAt: new Date(ctx.clock.now().getTime() + Math.max(500, waitMs)),
            maxPolls: OUTAGE_POLLS,
          },
        );
      }
    },
  };
}

/** What WHMCS's service status means for a delivered service (the reconcile job compares it). */
function providerStatusOf(status: string): ProviderStatus['status'] {
  switch (status) {
    case 'Active':
    case 'Completed':
      return 'active';
    case 'Pending':
      return 'pending';
    case 'Suspended':
      return 'suspended';
    default:
      // Terminated, Cancelled, Fraud: the service no longer runs.
      return 'cancelled';
  }
}

/**
 * Seed 004's provisioning into WHMCS, run once ops approve (the back office or the operator
 * system's signed Provision call): the customer's WHMCS client (the mapping, made when missing),
 * the payment method re-checked (gone: the order fails as `payment_required`), AddOrder with the
 * operator system's order id in its notes, then AcceptOrder. WHMCS has no idempotency key: the
 * client looks for an order carrying this record's mark before adding one. An outage opens the
 * client's circuit breaker, and the engine waits out `circuit_open` without spending attempts
 * faster than the breaker allows.
 */
export function createWhmcsAdapter(
  client: WhmcsClient,
  billing: BillingSystem,
): FulfillmentAdapter<WhmcsProductConfig, WhmcsInput> {
  const findClient: Step = {
    name: 'find_billing_client',
    label: 'Finding your billing account',
    async run(ctx) {
      const account = await ensureBillingAccount(ctx.em, billing, ctx.record.userId);
      return done({ clientId: Number(account.clientId) }, { externalCustomerId: account.clientId });
    },
  };

  const checkPaymentMethod: Step = {
    name: 'check_payment_method',
    label: 'Checking your payment method',
    async run(ctx) {
      const clientId = Number(ctx.outputs.find_billing_client?.clientId);
      if (!(await client.hasPaymentMethod(clientId))) {
        throw new PermanentError(
          'Payment required: WHMCS has no payment method on file for this customer',
          'payment_required',
        );
      }
      return done({ checkedAt: ctx.clock.now().toISOString() });
    },
  };

  const addOrder: Step = {
    name: 'add_order',
    label: 'Placing your order with billing',
    async run(ctx) {
      const operatorOrderId = (await findOperatorOrderId(ctx.em, ctx.record.orderId)) ?? undefined;
      const order = await client.addOrder({
        clientId: Number(ctx.outputs.find_billing_client?.clientId),
        productId: ctx.config.productId,
        billingCycle: ctx.config.billingCycle,
        paymentMethod: ctx.config.paymentMethod,
        operatorOrderId,
        reference: ctx.idempotencyKey,
      });
      return done(
        {
          whmcsOrderId: order.orderId,
          whmcsInvoiceId: order.invoiceId || null,
          whmcsServiceId: order.serviceIds[0] ?? null,
          operatorOrderId: operatorOrderId ?? null,
        },
        order.serviceIds[0] ? { externalReferenceId: String(order.serviceIds[0]) } : undefined,
      );
    },
  };

  const acceptOrder: Step = {
    name: 'accept_order',
    label: 'Activating your service',
    async run(ctx) {
      const orderId = Number(ctx.outputs.add_order?.whmcsOrderId);
      await client.acceptOrder(orderId, { autoSetup: ctx.config.autoSetup, sendEmail: false });
      return done({ whmcsOrderId: orderId, accepted: true });
    },
  };

  const serviceId = (externalReferenceId: string | null) => {
    if (!externalReferenceId) throw new PermanentError('This record has no WHMCS service id', 'no_service');
    return Number(externalReferenceId);
  };

  return {
    ...whmcsContract,
    deliveryModels: ['billing_service'],
    requiresPaymentMethodOnFile: true,
    retryPolicy: { maxAttempts: 6, backoffSeconds: [10, 30, 60, 300, 900] },
    steps: [findClient, checkPaymentMethod, addOrder, acceptOrder].map((step) => outageAware(step, client)),
    completedStatus: 'active',
    result(outputs) {
      const order = outputs.add_order ?? {};
      return {
        'Billing order': order.whmcsOrderId,
        ...(order.whmcsInvoiceId ? { 'First invoice': order.whmcsInvoiceId } : {}),
        ...(order.whmcsServiceId ? { Service: order.whmcsServiceId } : {}),
      };
    },

    async syncStatus(ctx) {
      const [service] = await client.getClientsProducts({ serviceId: serviceId(ctx.record.externalReferenceId) });
      if (!service) return { status: 'missing', message: `WHMCS has no service ${ctx.record.externalReferenceId}` };
      return {
        status: providerStatusOf(service.status),
        message: `WHMCS service ${service.id} (${service.name}) is ${service.status}, next due ${service.nextDueDate || 'not set'}`,
        details: { status: service.status, nextDueDate: service.nextDueDate, billingCycle: service.billingCycle },
      };
    },

    async suspend(ctx) {
      await client.moduleSuspend(serviceId(ctx.record.externalReferenceId), 'Subscription ended');
    },

    async cancel(ctx) {
      await client.moduleTerminate(serviceId(ctx.record.externalReferenceId));
    },

    async testConnection(config) {
      const products = await client.getClientsProducts({ serviceId: 0 }).catch((error: Error) => error);
      if (products instanceof Error) return { ok: false, message: `WHMCS did not answer: ${products.message}` };
      return {
        ok: true,
        message: `WHMCS answered with these API credentials; products are ordered as pid ${config.productId}, ${config.billingCycle}, through ${config.paymentMethod}.`,
      };
    },
  };
}
