import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random characters from `alphabet`, for vendor-shaped ids (`cs_test_…`, PayPal's 17 capitals). */
export function randomId(length: number, alphabet = ALPHANUMERIC): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** A secret for an emulator started without one: it then signs for nobody, which is safe. */
export function randomSecret(prefix = ''): string {
  return `${prefix}${randomBytes(24).toString('base64')}`;
}
