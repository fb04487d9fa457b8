import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EncryptionKey } from './secrets';

/** What a link token is for: a token made for one purpose is refused for another. */
export type LinkPurpose = 'password_reset' | 'verify_email' | 'staff_invite';

/** Keys that sign links, derived from the encryption keys: the first signs, every one verifies. */
export type LinkSigningKeys = readonly Buffer[];

/**
 * Derives the link-signing keys from `HANDOVER_ENCRYPTION_KEYS` (HKDF, its own label), so that
 * rotating those keys rotates these too and no new secret has to be configured.
 */
export function linkSigningKeys(keys: readonly EncryptionKey[]): LinkSigningKeys {
  return keys.map((k) => Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), 'handover link tokens v1', 32)));
}

const TOKEN = /^([A-Za-z0-9_-]{43})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/;

function mac(key: Buffer, purpose: LinkPurpose, nonce: string, expires: string): Buffer {
  return createHmac('sha256', key).update(`${purpose}\n${nonce}\n${expires}`).digest().subarray(0, 16);
}

/**
 * A token for an emailed link: 32 random bytes, its expiry, and an HMAC over both and the
 * purpose. The database still decides whether it was issued and is unused (only its SHA-256 is
 * stored); the signature lets a made-up or expired token be refused before any lookup or hash.
 */
export function signLinkToken(keys: LinkSigningKeys, purpose: LinkPurpose, expiresAt: Date): string {
  const [key] = keys;
  if (!key) throw new Error('no link-signing key');
  const nonce = randomBytes(32).toString('base64url');
  const expires = Math.ceil(expiresAt.getTime() / 1000).toString(36);
  return `${nonce}.${expires}.${mac(key, purpose, nonce, expires).toString('base64url')}`;
}

/** True when `token` was signed by one of `keys` for `purpose` and has not expired at `now`. */
export function isLinkTokenGenuine(keys: LinkSigningKeys, purpose: LinkPurpose, token: string, now: Date): boolean {
  const match = TOKEN.exec(token);
  if (!match) return false;
  const [, nonce = '', expires = '', signature = ''] = match;
  if (Number.parseInt(expires, 36) * 1000 <= now.getTime()) return false;
  const given = Buffer.from(signature, 'base64url');
  let genuine = false;
  for (const key of keys) {
    const expected = mac(key, purpose, nonce, expires);
    if (expected.length === given.length && timingSafeEqual(expected, given)) genuine = true;
  }
  return genuine;
}
