import { randomInt } from 'node:crypto';

// Crockford's base32 without I, L, O, U: nothing a customer can misread over the phone.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A short code customers and support quote (HO-7K3Q9XD2); 40 random bits. */
export function generateOrderCode(random: (max: number) => number = randomInt): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[random(ALPHABET.length)];
  return `HO-${code}`;
}
