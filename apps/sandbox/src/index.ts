export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators, type SharedState } from './emulators';
export { dohEmulator } from './emulators/dns/dohEmulator';
export { registrarEmulator } from './emulators/dns/registrarEmulator';
export { type DnsServer, type DnsServerOptions, startDnsServer } from './emulators/dns/server';
export { type Zone, ZoneStore } from './emulators/dns/zones';
export { plugsaasEmulator } from './emulators/plugsaas/plugsaasEmulator';
export { createSandbox, type SandboxOptions } from './sandbox';
