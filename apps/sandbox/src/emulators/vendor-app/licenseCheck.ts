import { createPublicKey, verify } from 'node:crypto';

/** What a licence key says (docs/marketplace-products.md, "Checking a key offline"). */
export interface LicenseClaims {
  license_id: string;
  key_id: string;
  product: string;
  licensee: string;
  type: string;
  expires_at: string | null;
  activation_limit: number;
  features: string[];
}

/**
 * A licence key as a vendor's software checks it before any call: `HOL1.<payload>.<signature>`,
 * the Ed25519 signature over `HOL1.<payload>`, the payload base64url JSON. Written from the
 * documentation, as a vendor would: this emulator imports nothing of Handover.
 */
export function readKey(key: string): { signed: string; claims: LicenseClaims; signature: Buffer } | null {
  const parts = key.trim().split('.');
  if (parts.length !== 3 || parts[0] !== 'HOL1') return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8')) as LicenseClaims;
    if (typeof claims.key_id !== 'string' || typeof claims.license_id !== 'string') return null;
    return { signed: `${parts[0]}.${parts[1]}`, claims, signature: Buffer.from(parts[2] ?? '', 'base64url') };
  } catch {
    return null;
  }
}

/** True when the vendor's public key (PEM) signed the key. */
export function signatureValid(read: NonNullable<ReturnType<typeof readKey>>, publicKeyPem: string): boolean {
  try {
    return verify(null, Buffer.from(read.signed), createPublicKey(publicKeyPem), read.signature);
  } catch {
    return false;
  }
}
