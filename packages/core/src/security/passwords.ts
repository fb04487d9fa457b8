import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { DEFAULT_HASHING_GATE, HashingGate, type HashPriority } from './hashingGate';

export interface PasswordHashCost {
  /** scrypt CPU/memory cost, a power of two. OWASP's minimum is 2^17. */
  N: number;
  r: number;
  p: number;
}

export const DEFAULT_PASSWORD_COST: PasswordHashCost = { N: 2 ** 17, r: 8, p: 1 };

/**
 * Every password hash of this process goes through one gate (the server sets its size from
 * `PASSWORD_HASH_CONCURRENCY`), so a flood of hashing cannot starve sign-ins.
 */
export const passwordHashing = new HashingGate(DEFAULT_HASHING_GATE);

function scrypt(
  password: string,
  salt: Buffer,
  keylen: number,
  cost: PasswordHashCost,
  priority: HashPriority = 'other',
): Promise<Buffer> {
  return passwordHashing.run(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scryptCallback(password, salt, keylen, { ...cost, maxmem: 256 * cost.N * cost.r }, (err, key) =>
          err ? reject(err) : resolve(key),
        );
      }),
    priority,
  );
}

/** `scrypt$N$r$p$salt$hash`: the parameters travel with the hash, so the cost can rise later. */
export async function hashPassword(password: string, cost: PasswordHashCost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

/** `priority: 'sign_in'` puts a sign-in ahead of other hashing that waits. */
export async function verifyPassword(
  password: string,
  stored: string,
  priority: HashPriority = 'other',
): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !N || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(
    password,
    Buffer.from(salt, 'base64url'),
    expected.length,
    {
      N: Number(N),
      r: Number(r),
      p: Number(p),
    },
    priority,
  );
  return timingSafeEqual(expected, actual);
}
