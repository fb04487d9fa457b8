export type { Emulator, EmulatorContext } from './emulator';
export { allEmulators } from './emulators';
export { type FaultSpec, faultSpecSchema } from './faults';
export { createSandbox, type SandboxOptions } from './sandbox';
