import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface DevSecrets {
  encryptionKeys: string;
  /** Shared by the sandbox's PlugSaaS emulator and the server and worker that call it. */
  plugsaasApiKey: string;
}

const makers: { [K in keyof DevSecrets]: () => DevSecrets[K] } = {
  encryptionKeys: () => `dev1=${randomBytes(32).toString('base64')}`,
  plugsaasApiKey: () => randomBytes(24).toString('base64url'),
};

/**
 * Dev-only secrets, made on first start and kept (mode 600) under .data/, never in the
 * repository. A secret added since the file was written is made and saved beside the others.
 */
export function loadDevSecrets(file: string): DevSecrets {
  const saved: Partial<DevSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const missing = (Object.keys(makers) as (keyof DevSecrets)[]).filter((name) => !saved[name]);
  if (missing.length === 0) return saved as DevSecrets;
  const secrets = { ...saved } as DevSecrets;
  for (const name of missing) secrets[name] = makers[name]();
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
