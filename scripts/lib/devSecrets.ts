import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

interface DevSecrets {
  encryptionKeys: string;
  /** Signs calls to the operator API (/provision) in development. */
  provisionApiSecret: string;
}

/** Dev-only secrets, made on first start and kept (mode 600) under .data/, never in the repository. */
export function loadDevSecrets(file: string): DevSecrets {
  const stored: Partial<DevSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets: DevSecrets = {
    encryptionKeys: stored.encryptionKeys ?? `dev1=${randomBytes(32).toString('base64')}`,
    provisionApiSecret: stored.provisionApiSecret ?? randomBytes(32).toString('hex'),
  };
  if (secrets.encryptionKeys !== stored.encryptionKeys || secrets.provisionApiSecret !== stored.provisionApiSecret) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
