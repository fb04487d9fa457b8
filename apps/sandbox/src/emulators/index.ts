import { z } from 'zod';
import type { Emulator } from '../emulator';
import { dohEmulator } from './dns/dohEmulator';
import { registrarEmulator } from './dns/registrarEmulator';
import type { ZoneStore } from './dns/zones';
import { dodoEmulator, dodoEmulatorEnv } from './dodo';
import { instanceProvisioningEmulator, instanceProvisioningEmulatorEnv } from './instance-provisioning';
import { paypalEmulator, paypalEmulatorEnv } from './paypal';
import { plugsaasEmulator, plugsaasEmulatorEnv } from './plugsaas/plugsaasEmulator';
import { saasProviderEmulator, saasProviderEmulatorEnv } from './saas-provider';
import { sandboxGatewayEmulator, sandboxGatewayEmulatorEnv } from './sandbox-gateway';
import { stripeEmulator, stripeEmulatorEnv } from './stripe';
import { testkitEmulator } from './testkit';

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
  const saasProvider = settings('saas-provider', saasProviderEmulatorEnv, env);
  const instanceProvisioning = settings('instance-provisioning', instanceProvisioningEmulatorEnv, env);
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
    saasProviderEmulator({
      defaultSecret: saasProvider.SAAS_PROVIDER_SECRET,
      secrets: saasProvider.SAAS_PROVIDER_SECRETS,
    }),
    instanceProvisioningEmulator({
      apiKey: instanceProvisioning.INSTANCE_PROVISIONING_API_KEY,
      readyAfterMs: instanceProvisioning.INSTANCE_PROVISIONING_READY_AFTER_MS,
    }),
    dohEmulator(shared.zones),
    registrarEmulator(shared.zones),
    testkitEmulator(),
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
