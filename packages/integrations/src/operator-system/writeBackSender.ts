import {
  type CheckoutOrderFacts,
  linkOperatorOrder,
  loadCheckoutOrderFacts,
  loadWriteBackFacts,
  OPERATOR_ORDER_TEMPLATE,
  OPERATOR_WRITEBACK_TEMPLATE,
  type OperatorSystem,
  operatorAccountOf,
  PermanentError,
  parseEnv,
  type WriteBackFacts,
} from '@handover/core';
import { operatorSystemEnvSchema } from './env';
import { OperatorSystemClient, type OrderFields } from './operatorSystemClient';

type EntityManager = Parameters<typeof loadWriteBackFacts>[0];

/** What the sender reads of an outbox message. */
interface WriteBackMessage {
  template: string;
  data: Record<string, unknown>;
}

/** Salesforce's text fields hold 255 characters. */
const TEXT_LIMIT = 255;

/** The drivers whose records carry billing ids to write back, and the step that holds them. */
const BILLING_STEP = { driver: 'whmcs', step: 'add_order' };

/**
 * The Order fields of seed 004's write-back: Provisioned with the WHMCS order, service and
 * invoice ids, or Failed with the error's code and message (`payment_required` when the
 * payment method was gone at approval).
 */
export function writeBackFields(facts: WriteBackFacts): OrderFields {
  const provisioned = facts.fulfillmentStatus === 'completed' || facts.fulfillmentStatus === 'active';
  const billed = facts.records.find((record) => record.driver === BILLING_STEP.driver);
  const ids = billed?.outputs[BILLING_STEP.step] ?? {};
  const idOf = (value: unknown) => (value === null || value === undefined ? null : String(value));
  const failed = facts.records.find((record) => record.status === 'failed');
  return {
    Status: provisioned ? 'Provisioned' : 'Failed',
    Activation_Status__c: provisioned ? 'Activated' : 'Failed',
    Handover_Order_Id__c: facts.orderId,
    WHMCS_Order_ID__c: idOf(ids.whmcsOrderId),
    WHMCS_Service_ID__c: idOf(ids.whmcsServiceId),
    WHMCS_Invoice_ID__c: idOf(ids.whmcsInvoiceId),
    Activation_Error_Code__c: provisioned ? null : (failed?.lastErrorCode ?? 'failed'),
    Activation_Error_Message__c: provisioned ? null : (failed?.lastError ?? 'Provisioning failed').slice(0, TEXT_LIMIT),
  };
}

/**
 * The fields of the Order a checkout makes (seed 004 step 4): the customer's account, the day,
 * what was ordered and how it is activated. Status is left out: a new Order starts Pending Review,
 * and a repeated upsert must not undo a review that happened meanwhile.
 */
export function checkoutOrderFields(facts: CheckoutOrderFacts, accountId: string): OrderFields {
  const scheduled = facts.activationType === 'scheduled';
  const codes = facts.lines.map((line) => line.operatorProductCode).filter((code) => code !== null);
  return {
    AccountId: accountId,
    EffectiveDate: facts.createdAt.toISOString().slice(0, 10),
    Description:
      `Handover order ${facts.orderCode}: ${facts.lines.map((line) => line.productName).join(', ')}${codes.length ? ` (${codes.join(', ')})` : ''}`.slice(
        0,
        TEXT_LIMIT,
      ),
    Activation_Type__c: scheduled ? 'Scheduled' : 'Immediate',
    ...(scheduled && facts.activationScheduledAt
      ? { Activation_Scheduled_At__c: facts.activationScheduledAt.toISOString() }
      : {}),
  };
}

/** Core's operator-system seam over the Salesforce-shaped client: accounts by customer number, the personalised catalog. */
export function operatorSystemOf(client: OperatorSystemClient): OperatorSystem {
  return {
    async findAccountId(customerNumber) {
      return (await client.findAccountByCustomerNumber(customerNumber))?.id ?? null;
    },
    async eligibleProducts(accountId) {
      const catalog = await client.personalizedCatalog(accountId);
      return {
        productCodes: catalog.products.map((product) => String(product.ProductCode ?? '')).filter(Boolean),
        eligibility: catalog.eligibility,
      };
    },
  };
}

/**
 * Delivers the outbox's `operator_system` messages. `operator_order_create`: the checkout's
 * Order, made by an upsert keyed by the Handover order id (never two for one checkout) and kept
 * on the order, which the operator's Provision then names. `operator_writeback`: PATCH
 * sobjects/Order/{id} with the order's outcome as it stands when sent (so a message retried for
 * hours writes the latest). Outages and 5xx are TransientError, which the outbox retries with
 * backoff until it lands.
 */
export function operatorSystemSender(client: OperatorSystemClient, em: EntityManager) {
  const operatorSystem = operatorSystemOf(client);
  const createOrder = async (message: WriteBackMessage) => {
    const orderId = String(message.data.orderId ?? '');
    const facts = await loadCheckoutOrderFacts(em, orderId);
    if (!facts) throw new PermanentError(`No order ${orderId}`, 'not_found');
    if (facts.operatorOrderId) return { providerMessageId: facts.operatorOrderId };
    const accountId = await operatorAccountOf(em, operatorSystem, facts.userId);
    if (!accountId) {
      throw new PermanentError(
        `Order ${facts.orderCode}: the customer has no account in the operator system (no customer number, or none matches); review it in the back office`,
        'no_operator_account',
      );
    }
    const { id } = await client.upsertOrderByHandoverId(orderId, checkoutOrderFields(facts, accountId));
    await linkOperatorOrder(em, orderId, id);
    return { providerMessageId: id };
  };
  return {
    async send(message: WriteBackMessage): Promise<{ providerMessageId: string }> {
      if (message.template === OPERATOR_ORDER_TEMPLATE) return createOrder(message);
      if (message.template !== OPERATOR_WRITEBACK_TEMPLATE) {
        throw new PermanentError(`No operator-system message called ${message.template}`, 'unknown_template');
      }
      const orderId = String(message.data.orderId ?? '');
      const facts = await loadWriteBackFacts(em, orderId);
      if (!facts) throw new PermanentError(`Order ${orderId} has no operator-system order`, 'not_linked');
      const fields = writeBackFields(facts);
      await client.updateOrder(facts.operatorOrderId, fields);
      return { providerMessageId: `${facts.operatorOrderId}:${String(fields.Status)}` };
    },
    close() {},
  };
}

/** The operator system this deployment has (OPERATOR_SYSTEM_URL set), none otherwise. */
export function buildOperatorSystem(env: Record<string, string | undefined>, app: string): OperatorSystem | null {
  if (!env.OPERATOR_SYSTEM_URL) return null;
  return operatorSystemOf(new OperatorSystemClient(parseEnv(app, operatorSystemEnvSchema, env)));
}

/** The write-back sender when the operator system is configured (OPERATOR_SYSTEM_URL set), none otherwise. */
export function buildOperatorSystemSender(
  env: Record<string, string | undefined>,
  app: string,
  em: EntityManager,
): ReturnType<typeof operatorSystemSender> | null {
  if (!env.OPERATOR_SYSTEM_URL) return null;
  return operatorSystemSender(new OperatorSystemClient(parseEnv(app, operatorSystemEnvSchema, env)), em);
}
