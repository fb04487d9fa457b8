import { readServiceRules } from '@handover/contracts';
import type { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuthenticationError, ValidationError } from '../errors';
import type { DriverRegistry } from '../fulfillment/registry';
import { ensureBillingAccount } from './billingAccounts';
import type { BillingSystem } from './billingSystem';

/** The field a checkout's refusal names, for the portal's "Add a payment method". */
export const PAYMENT_METHOD_FIELD = 'paymentMethod';

/**
 * Whether a product is billed by the billing system and so needs a payment method on file there
 * (seed 004: "gate checkout until true"): its driver says so, or its rules check for one.
 */
export function needsPaymentMethodOnFile(registry: DriverRegistry, product: Product): boolean {
  const adapter = registry.has(product.fulfillmentDriver) ? registry.get(product.fulfillmentDriver) : undefined;
  return (
    adapter?.requiresPaymentMethodOnFile === true ||
    readServiceRules(product.serviceRules).activationChecks.includes('payment_method_on_file')
  );
}

/**
 * Seed 004 step 2: checkout stays closed for billed products until the billing system reports a
 * payment method. The customer's client is made when missing (the first billed order). Without a
 * billing system configured nothing is gated; one that does not answer refuses with
 * TransientError, and the portal says to try again.
 */
export async function checkPaymentMethodGate(
  deps: { em: EntityManager; registry: DriverRegistry; billing?: BillingSystem | null },
  products: readonly Product[],
  customer: { userId: string } | null,
): Promise<void> {
  const billed = products.filter((product) => needsPaymentMethodOnFile(deps.registry, product));
  if (billed.length === 0 || !deps.billing) return;
  const names = [...new Set(billed.map((product) => product.name))].join(', ');
  if (!customer) throw new AuthenticationError(`Sign in to order ${names}: it is billed to your account.`);
  const account = await ensureBillingAccount(deps.em, deps.billing, customer.userId);
  if (await deps.billing.hasPaymentMethod(account.clientId)) return;
  throw new ValidationError(`Add a payment method to order ${names}.`, {
    [PAYMENT_METHOD_FIELD]: [`${names} is billed monthly: add a payment method first, then come back to this order.`],
  });
}
