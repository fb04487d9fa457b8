export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators, type SharedState } from './emulators';
export { type ArkeselEmulatorOptions, arkeselEmulator } from './emulators/arkesel/arkeselEmulator';
export { type AtIshareEmulatorOptions, atIshareEmulator } from './emulators/at-ishare/atIshareEmulator';
export { dohEmulator } from './emulators/dns/dohEmulator';
export { registrarEmulator } from './emulators/dns/registrarEmulator';
export { type DnsServer, type DnsServerOptions, startDnsServer } from './emulators/dns/server';
export { type Zone, ZoneStore } from './emulators/dns/zones';
export { type DodoEmulatorOptions, dodoEmulator } from './emulators/dodo';
export { type EsimAccessEmulatorOptions, esimAccessEmulator } from './emulators/esimaccess';
export {
  type InstanceProvisioningEmulatorOptions,
  instanceProvisioningEmulator,
} from './emulators/instance-provisioning';
export { type MailinEmulatorOptions, mailinEmulator } from './emulators/mailin';
export { type NamecheapEmulatorOptions, namecheapEmulator } from './emulators/namecheap';
export { type PayPalEmulatorOptions, paypalEmulator } from './emulators/paypal';
export { plugsaasEmulator } from './emulators/plugsaas/plugsaasEmulator';
export { type SaasProviderEmulatorOptions, saasProviderEmulator } from './emulators/saas-provider';
export { type SalesforceEmulatorOptions, salesforceEmulator } from './emulators/salesforce';
export { type SandboxGatewayEmulatorOptions, sandboxGatewayEmulator } from './emulators/sandbox-gateway';
export { type SpaceshipEmulatorOptions, spaceshipEmulator } from './emulators/spaceship';
export { type StripeEmulatorOptions, stripeEmulator } from './emulators/stripe';
export { vendorAppEmulator } from './emulators/vendor-app';
export { type WhmcsEmulatorOptions, whmcsEmulator } from './emulators/whmcs';
export { type FaultSpec, faultSpecSchema } from './faults';
export { createSandbox, type SandboxOptions } from './sandbox';
