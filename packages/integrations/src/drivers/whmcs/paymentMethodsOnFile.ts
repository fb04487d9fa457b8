import {
  type ActivationCheck,
  type BillingSystem,
  ensureBillingAccount,
  type PaymentMethodsOnFile,
  parseEnv,
  paymentMethodOnFileCheck,
} from '@handover/core';
import { whmcsBillingSystem } from './billingSystem';
import { whmcsEnvSchema } from './env';
import { WhmcsClient } from './whmcsClient';

/**
 * Seed 004's "payment method on file" over WHMCS: the customer's WHMCS client from the mapping
 * (billing_accounts, made when missing, as the driver's own check does), then GetPayMethods. The
 * mapping, not the customer's email, names the client: an address changed in Handover since the
 * client was made still finds it.
 */
export function whmcsPaymentMethodsOnFile(source: WhmcsClient | BillingSystem): PaymentMethodsOnFile {
  const billing = source instanceof WhmcsClient ? whmcsBillingSystem(source) : source;
  return {
    system: billing.system,
    async hasPaymentMethod(customer, em) {
      const account = await ensureBillingAccount(em, billing, customer.id);
      return billing.hasPaymentMethod(account.clientId);
    },
  };
}

/**
 * The preflight checks this deployment can run (seed 004 5a), from the environment: the payment
 * method check when WHMCS is configured (WHMCS_API_URL set), none otherwise.
 */
export function buildActivationChecks(env: Record<string, string | undefined>, app: string): ActivationCheck[] {
  if (!env.WHMCS_API_URL) return [];
  return [paymentMethodOnFileCheck(whmcsPaymentMethodsOnFile(new WhmcsClient(parseEnv(app, whmcsEnvSchema, env))))];
}
