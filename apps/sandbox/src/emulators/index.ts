import { z } from 'zod';
import type { Emulator } from '../emulator';
import { dohEmulator } from './dns/dohEmulator';
import { registrarEmulator } from './dns/registrarEmulator';
import type { ZoneStore } from './dns/zones';
import { dodoEmulator, dodoEmulatorEnv } from './dodo';
import { esimAccessEmulator, esimAccessEmulatorEnv } from './esimaccess';
import { paypalEmulator, paypalEmulatorEnv } from './paypal';
import { plugsaasEmulator, plugsaasEmulatorEnv } from './plugsaas/plugsaasEmulator';
import { salesforceEmulator, salesforceEmulatorEnv } from './salesforce';
import { sandboxGatewayEmulator, sandboxGatewayEmulatorEnv } from './sandbox-gateway';
import { stripeEmulator, stripeEmulatorEnv } from './stripe';
import { testkitEmulator } from './testkit';
import { whmcsEmulator, whmcsEmulatorEnv } from './whmcs';

/** State shared by several emulators and by servers beside the HTTP one (the DNS server). */
export interface SharedState {
  zones: ZoneStore;
}

/**
 * Every emulator the sandbox serves. A vendor's emulator is one folder here, added to this
 * list; it reads its own settings (shared secrets, for one) from `env` with its own schema.
 * Throws with the variable's name when one is missing or bad.
 */
export function allEmulators(env: Record<string, string | undefined>, shared: SharedState): Emulator[] {
  const stripe = settings('stripe', stripeEmulatorEnv, env);
  const paypal = settings('paypal', paypalEmulatorEnv, env);
  const dodo = settings('dodo', dodoEmulatorEnv, env);
  const sandboxGateway = settings('sandbox-gateway', sandboxGatewayEmulatorEnv, env);
  const whmcs = settings('whmcs', whmcsEmulatorEnv, env);
  const esimAccess = settings('esimaccess', esimAccessEmulatorEnv, env);
  const salesforce = settings('salesforce', salesforceEmulatorEnv, env);
  return [
    stripeEmulator({ secretKey: stripe.STRIPE_SECRET_KEY, webhookSecret: stripe.STRIPE_WEBHOOK_SECRET }),
    paypalEmulator({
      clientId: paypal.PAYPAL_CLIENT_ID,
      clientSecret: paypal.PAYPAL_CLIENT_SECRET,
      webhookId: paypal.PAYPAL_WEBHOOK_ID,
    }),
    dodoEmulator({ apiKey: dodo.DODO_API_KEY, webhookSecret: dodo.DODO_WEBHOOK_SECRET }),
    sandboxGatewayEmulator({ secret: sandboxGateway.SANDBOX_GATEWAY_SECRET }),
    plugsaasEmulator({ apiKey: settings('plugsaas', plugsaasEmulatorEnv, env).PLUGSAAS_API_KEY }),
    dohEmulator(shared.zones),
    registrarEmulator(shared.zones),
    testkitEmulator(),
    whmcsEmulator({ identifier: whmcs.WHMCS_API_IDENTIFIER, secret: whmcs.WHMCS_API_SECRET }),
    esimAccessEmulator({
      accessCode: esimAccess.ESIMACCESS_ACCESS_CODE,
      secretKey: esimAccess.ESIMACCESS_SECRET_KEY,
    }),
    salesforceEmulator({
      clientId: salesforce.SALESFORCE_CLIENT_ID,
      clientSecret: salesforce.SALESFORCE_CLIENT_SECRET,
      sessionTimeoutSeconds: salesforce.SALESFORCE_SESSION_TIMEOUT_SECONDS,
      handoverUrl: salesforce.HANDOVER_PROVISION_URL,
      provisionSecret: salesforce.PROVISION_API_SECRETS,
    }),
  ];
}

function settings<S extends z.ZodType>(
  emulator: string,
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`sandbox ${emulator} emulator: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
