export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators, type SharedState } from './emulators';
export { dohEmulator } from './emulators/dns/dohEmulator';
export { registrarEmulator } from './emulators/dns/registrarEmulator';
export { type DnsServer, type DnsServerOptions, startDnsServer } from './emulators/dns/server';
export { type Zone, ZoneStore } from './emulators/dns/zones';
export { type DodoEmulatorOptions, dodoEmulator } from './emulators/dodo';
export {
  type InstanceProvisioningEmulatorOptions,
  instanceProvisioningEmulator,
} from './emulators/instance-provisioning';
export { type PayPalEmulatorOptions, paypalEmulator } from './emulators/paypal';
export { plugsaasEmulator } from './emulators/plugsaas/plugsaasEmulator';
export { type SaasProviderEmulatorOptions, saasProviderEmulator } from './emulators/saas-provider';
export { type SandboxGatewayEmulatorOptions, sandboxGatewayEmulator } from './emulators/sandbox-gateway';
export { type StripeEmulatorOptions, stripeEmulator } from './emulators/stripe';
export { type FaultSpec, faultSpecSchema } from './faults';
export { createSandbox, type SandboxOptions } from './sandbox';
