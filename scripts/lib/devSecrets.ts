import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

const token = (bytes: number) => randomBytes(bytes).toString('hex');

/** Each dev secret and how to make it; a secret added later is made on the next start. */
const makers = {
  encryptionKeys: () => `dev1=${randomBytes(32).toString('base64')}`,
  stripeSecretKey: () => `sk_test_${token(24)}`,
  stripeWebhookSecret: () => `whsec_${token(24)}`,
  paypalClientId: () => `sandbox-${token(16)}`,
  paypalClientSecret: () => token(32),
  paypalWebhookId: () => `WH${token(8).toUpperCase()}`,
  dodoApiKey: () => token(32),
  dodoWebhookSecret: () => `whsec_${randomBytes(24).toString('base64')}`,
  sandboxGatewaySecret: () => token(32),
  /** Signs calls to the operator API (/provision) in development. */
  provisionApiSecret: () => token(32),
  /** Shared by the sandbox's PlugSaaS emulator and the server and worker that call it. */
  plugsaasApiKey: () => randomBytes(24).toString('base64url'),
  /** Shared by the sandbox's AT-iShare reseller and the server and worker that call it (seed 002). */
  atIshareApiKey: () => randomBytes(24).toString('base64url'),
  /** Shared by the sandbox's Arkesel and the worker that texts through it. */
  arkeselApiKey: () => randomBytes(24).toString('base64url'),
  /** Makes the tokens in texts' delivery callback URLs (worker) and checks them (server). */
  arkeselCallbackSecret: () => token(24),
  /** The sandbox Mailin.ai account's password, which the server and worker log in with. */
  mailinPassword: () => token(16),
  /** The sandbox eSIM Access account's AccessCode and SecretKey, which the server and worker sign with (seed 004). */
  esimAccessCode: () => token(16),
  esimSecretKey: () => token(24),
  /** The sandbox WHMCS's API credential, which the worker's payment-method check uses (seed 004). */
  whmcsIdentifier: () => `dev-${token(12)}`,
  whmcsSecret: () => token(24),
  /** Shared by the sandbox's point-of-sale provider and the demo key ring (seed 003 §8 signatures). */
  saasProviderSecret: () => token(32),
  /** Shared by the sandbox's instance-provisioning API and the server and worker that call it. */
  instanceProvisioningApiKey: () => randomBytes(24).toString('base64url'),
  /** Signs the download links the server gives customers. */
  downloadLinkSecret: () => token(32),
  /** The sandbox operator system's connected app (client credentials), for the write-back (seed 004). */
  operatorClientId: () => `dev-${token(12)}`,
  operatorClientSecret: () => token(24),
};

type DevSecrets = { [K in keyof typeof makers]: string };

/**
 * Dev-only secrets, made on first start and kept (mode 600) under .data/, never in the
 * repository. A secret added since the file was written is made and saved beside the others.
 */
export function loadDevSecrets(file: string): DevSecrets {
  const stored: Partial<DevSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  const secrets = { ...stored } as DevSecrets;
  let changed = false;
  for (const [name, make] of Object.entries(makers) as [keyof DevSecrets, () => string][]) {
    if (typeof secrets[name] !== 'string') {
      secrets[name] = make();
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
