import type { Emulator } from '../emulator';

/** Every emulator the sandbox serves. A vendor's emulator is one folder here, added to this list. */
export function allEmulators(): Emulator[] {
  return [];
}
