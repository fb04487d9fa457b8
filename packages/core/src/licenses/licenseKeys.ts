import { createHash, type KeyObject, sign, verify } from 'node:crypto';
import { z } from 'zod';

/** The version tag every licence key starts with; a later format gets another. */
export const LICENSE_KEY_PREFIX = 'HOL1';

/** What a licence key says, signed: everything the vendor's software needs to check it offline. */
export const licensePayloadSchema = z.object({
  v: z.literal(1),
  license_id: z.uuid(),
  /** The key-ring reference of the signing key: which public key verifies it. */
  key_id: z.string(),
  product: z.string(),
  licensee: z.string(),
  type: z.enum(['perpetual', 'term']),
  issued_at: z.iso.datetime(),
  expires_at: z.iso.datetime().nullable(),
  activation_limit: z.number().int().positive(),
  features: z.array(z.string()),
});
export type LicensePayload = z.output<typeof licensePayloadSchema>;

/**
 * `HOL1.<base64url JSON payload>.<base64url Ed25519 signature>`: the signature covers the text
 * before the second dot, so the vendor's software verifies it with the product's public key and
 * no call to Handover (docs/marketplace-products.md shows how).
 */
export function signLicenseKey(payload: LicensePayload, privateKey: KeyObject): string {
  const body = `${LICENSE_KEY_PREFIX}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${body}.${sign(null, Buffer.from(body), privateKey).toString('base64url')}`;
}

/** The payload of a key signed by `publicKey`, or null when it is not one (changed, forged, garbled). */
export function verifyLicenseKey(key: string, publicKey: KeyObject): LicensePayload | null {
  const parts = key.trim().split('.');
  if (parts.length !== 3 || parts[0] !== LICENSE_KEY_PREFIX) return null;
  const [prefix, body, signature] = parts as [string, string, string];
  if (!verify(null, Buffer.from(`${prefix}.${body}`), publicKey, Buffer.from(signature, 'base64url'))) return null;
  return readLicensePayload(key);
}

/** The payload of a key without checking its signature (to find which public key to check it with). */
export function readLicensePayload(key: string): LicensePayload | null {
  const body = key.trim().split('.')[1];
  if (!body) return null;
  try {
    const parsed = licensePayloadSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** How the activation API finds a key: its SHA-256, so the key itself is kept only sealed. */
export const hashLicenseKey = (key: string): string => createHash('sha256').update(key.trim()).digest('hex');
