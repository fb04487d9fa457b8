import {
  type ActivationCheck,
  type PaymentMethodsOnFile,
  PermanentError,
  parseEnv,
  paymentMethodOnFileCheck,
} from '@handover/core';
import { whmcsEnvSchema } from './env';
import { WhmcsClient } from './whmcsClient';

/**
 * Seed 004's "payment method on file" over WHMCS (GetClientsDetails by the customer's email, then
 * GetPayMethods): a customer without a WHMCS client has none. Until the customer mapping (portal
 * user ↔ WHMCS client) exists, the client is found by email.
 */
export function whmcsPaymentMethodsOnFile(client: WhmcsClient): PaymentMethodsOnFile {
  return {
    system: 'WHMCS',
    async hasPaymentMethod(customer) {
      let clientId: number;
      try {
        ({ id: clientId } = await client.getClientDetails({ email: customer.email }));
      } catch (error) {
        if (error instanceof PermanentError && error.code === 'not_found') return false;
        throw error;
      }
      return client.hasPaymentMethod(clientId);
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
