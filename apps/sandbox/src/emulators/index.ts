import { z } from 'zod';
import type { Emulator } from '../emulator';
import { dohEmulator } from './dns/dohEmulator';
import { registrarEmulator } from './dns/registrarEmulator';
import type { ZoneStore } from './dns/zones';
import { plugsaasEmulator, plugsaasEmulatorEnv } from './plugsaas/plugsaasEmulator';

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
  return [
    plugsaasEmulator({ apiKey: parseEmulatorEnv('plugsaas', plugsaasEmulatorEnv, env).PLUGSAAS_API_KEY }),
    dohEmulator(shared.zones),
    registrarEmulator(shared.zones),
  ];
}

function parseEmulatorEnv<S extends z.ZodType>(emulator: string, schema: S, env: Record<string, string | undefined>) {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`${emulator} emulator: ${z.prettifyError(parsed.error)}`);
  return parsed.data as z.output<S>;
}
