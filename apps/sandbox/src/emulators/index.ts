import { z } from 'zod';
import type { Emulator } from '../emulator';
import { arkeselEmulator, arkeselEmulatorEnv } from './arkesel/arkeselEmulator';
import { atIshareEmulator, atIshareEmulatorEnv } from './at-ishare/atIshareEmulator';
import { dohEmulator } from './dns/dohEmulator';
import { registrarEmulator } from './dns/registrarEmulator';
import type { ZoneStore } from './dns/zones';
import { dodoEmulator, dodoEmulatorEnv } from './dodo';
import { esimAccessEmulator, esimAccessEmulatorEnv } from './esimaccess';
import { instanceProvisioningEmulator, instanceProvisioningEmulatorEnv } from './instance-provisioning';
import { mailinEmulator, mailinEmulatorEnv } from './mailin';
import { namecheapEmulator, namecheapEmulatorEnv } from './namecheap';
import { paypalEmulator, paypalEmulatorEnv } from './paypal';
import { plugsaasEmulator, plugsaasEmulatorEnv } from './plugsaas/plugsaasEmulator';
import { saasProviderEmulator, saasProviderEmulatorEnv } from './saas-provider';
import { salesforceEmulator, salesforceEmulatorEnv } from './salesforce';
import { sandboxGatewayEmulator, sandboxGatewayEmulatorEnv } from './sandbox-gateway';
import { spaceshipEmulator, spaceshipEmulatorEnv } from './spaceship';
import { stripeEmulator, stripeEmulatorEnv } from './stripe';
import { testkitEmulator } from './testkit';
import { vendorAppEmulator, vendorAppEmulatorEnv } from './vendor-app';
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
  const mailin = settings('mailin', mailinEmulatorEnv, env);
  const spaceship = settings('spaceship', spaceshipEmulatorEnv, env);
  const namecheap = settings('namecheap', namecheapEmulatorEnv, env);
  const atIshare = settings('at-ishare', atIshareEmulatorEnv, env);
  const arkesel = settings('arkesel', arkeselEmulatorEnv, env);
  const whmcs = settings('whmcs', whmcsEmulatorEnv, env);
  const esimAccess = settings('esimaccess', esimAccessEmulatorEnv, env);
  const salesforce = settings('salesforce', salesforceEmulatorEnv, env);
  const saasProvider = settings('saas-provider', saasProviderEmulatorEnv, env);
  const instanceProvisioning = settings('instance-provisioning', instanceProvisioningEmulatorEnv, env);
  const vendorApp = settings('vendor-app', vendorAppEmulatorEnv, env);
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
    mailinEmulator({ email: mailin.MAILIN_AI_EMAIL, password: mailin.MAILIN_AI_PASSWORD, zones: shared.zones }),
    spaceshipEmulator({
      sandboxAccount: {
        apiKey: spaceship.SPACESHIP_SANDBOX_API_KEY,
        apiSecret: spaceship.SPACESHIP_SANDBOX_API_SECRET,
      },
      zones: shared.zones,
    }),
    namecheapEmulator({
      sandboxAccount: {
        apiUser: namecheap.NAMECHEAP_SANDBOX_API_USER,
        apiKey: namecheap.NAMECHEAP_SANDBOX_API_KEY,
        clientIps: namecheap.NAMECHEAP_SANDBOX_CLIENT_IPS,
      },
      zones: shared.zones,
    }),
    atIshareEmulator({ apiKey: atIshare.AT_ISHARE_API_KEY, initialBalance: atIshare.AT_ISHARE_INITIAL_BALANCE }),
    arkeselEmulator({ apiKey: arkesel.ARKESEL_API_KEY }),
    saasProviderEmulator({
      defaultSecret: saasProvider.SAAS_PROVIDER_SECRET,
      secrets: saasProvider.SAAS_PROVIDER_SECRETS,
    }),
    instanceProvisioningEmulator({
      apiKey: instanceProvisioning.INSTANCE_PROVISIONING_API_KEY,
      readyAfterMs: instanceProvisioning.INSTANCE_PROVISIONING_READY_AFTER_MS,
    }),
    vendorAppEmulator({ apiUrl: vendorApp.VENDOR_APP_LICENSE_API_URL }),
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
