import type { Emulator } from '../emulator';
import { testkitEmulator } from './testkit';

/**
 * Every emulator the sandbox serves. A vendor's emulator is one folder here, added to this
 * list; it reads its own settings (shared secrets, for one) from `env` with its own schema.
 */
export function allEmulators(_env: Record<string, string | undefined>): Emulator[] {
  return [testkitEmulator()];
}
