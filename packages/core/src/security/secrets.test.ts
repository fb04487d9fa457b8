import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEncryptionKeys, SecretBox } from './secrets';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  it('round-trips a secret and never stores the plaintext', () => {
    const box = new SecretBox([key('k1')]);
    const sealed = box.encrypt('Pass123!');
    expect(sealed).not.toContain('Pass123!');
    expect(sealed.startsWith('v1.k1.')).toBe(true);
    expect(box.decrypt(sealed)).toBe('Pass123!');
  });

  it('uses a fresh IV each time, so equal secrets do not look equal', () => {
    const box = new SecretBox([key('k1')]);
    expect(box.encrypt('same')).not.toBe(box.encrypt('same'));
  });

  it('keeps decrypting old ciphertext after a rotation, and says it needs re-encryption', () => {
    const old = key('old');
    const sealedWithOld = new SecretBox([old]).encrypt('legacy');
    const rotated = new SecretBox([key('new'), old]);
    expect(rotated.decrypt(sealedWithOld)).toBe('legacy');
    expect(rotated.needsRotation(sealedWithOld)).toBe(true);
    expect(rotated.needsRotation(rotated.encrypt('fresh'))).toBe(false);
  });

  it('refuses tampered ciphertext and unknown keys', () => {
    const box = new SecretBox([key('k1')]);
    const parts = box.encrypt('secret').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    expect(() => box.decrypt(parts.join('.'))).toThrow();
    expect(() => new SecretBox([key('k2')]).decrypt(box.encrypt('x'))).toThrow(/unknown key "k1"/);
    expect(() => box.decrypt('plaintext')).toThrow(/Not a sealed secret/);
  });
});

describe('parseEncryptionKeys', () => {
  it('reads id=base64 pairs, first one first', () => {
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    expect(parseEncryptionKeys(`2026a=${a}, 2025b=${b}`).map((k) => k.id)).toEqual(['2026a', '2025b']);
  });

  it('names what is wrong with a bad key', () => {
    expect(() => parseEncryptionKeys('short=AAAA')).toThrow(/"short" must decode to 32 bytes/);
    expect(() => parseEncryptionKeys('no-equals-sign')).toThrow(/<id>=<base64 of 32 bytes>/);
  });
});
