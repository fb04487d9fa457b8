export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators } from './emulators';
export { type StripeEmulatorOptions, stripeEmulator } from './emulators/stripe';
export { createSandbox, type SandboxOptions } from './sandbox';
