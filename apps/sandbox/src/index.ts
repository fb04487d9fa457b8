export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators } from './emulators';
export { type DodoEmulatorOptions, dodoEmulator } from './emulators/dodo';
export { type PayPalEmulatorOptions, paypalEmulator } from './emulators/paypal';
export { type SandboxGatewayEmulatorOptions, sandboxGatewayEmulator } from './emulators/sandbox-gateway';
export { type StripeEmulatorOptions, stripeEmulator } from './emulators/stripe';
export { type FaultSpec, faultSpecSchema } from './faults';
export { createSandbox, type SandboxOptions } from './sandbox';
