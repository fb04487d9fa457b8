import type { EntityManager } from '@mikro-orm/postgresql';
import { ensureBillingAccount } from './billingAccounts';
import type { BillingSystem } from './billingSystem';

/** What the portal shows about payment methods (seed 004's `GET /billing/payment-methods/summary`). */
export type PaymentMethodSummary =
  | { configured: false }
  | { configured: true; system: string; hasPaymentMethod: boolean };

/** Whether the customer has a payment method in the billing system; their client is made when missing. */
export async function paymentMethodSummary(
  em: EntityManager,
  billing: BillingSystem | null | undefined,
  userId: string,
): Promise<PaymentMethodSummary> {
  if (!billing) return { configured: false };
  const account = await ensureBillingAccount(em, billing, userId);
  return {
    configured: true,
    system: billing.system,
    hasPaymentMethod: await billing.hasPaymentMethod(account.clientId),
  };
}

/**
 * Seed 004's "Add payment method": a single-use sign-in link (WHMCS's SSO) to the billing
 * system's payment-methods page, made on each click since it expires within a minute.
 */
export async function paymentMethodsLink(
  em: EntityManager,
  billing: BillingSystem | null | undefined,
  userId: string,
): Promise<{ url: string; system: string } | null> {
  if (!billing) return null;
  const account = await ensureBillingAccount(em, billing, userId);
  return { url: await billing.paymentMethodsLink(account.clientId), system: billing.system };
}
