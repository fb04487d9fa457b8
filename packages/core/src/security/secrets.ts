import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

export interface EncryptionKey {
  id: string;
  /** 32 bytes. */
  key: Buffer;
}

/**
 * AES-256-GCM for secrets at rest (inventory passwords, registrar keys, mailbox passwords).
 * The key id travels in the ciphertext, so old keys keep decrypting after a rotation.
 * Format: `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts).
 */
export class SecretBox {
  private readonly keys: Map<string, Buffer>;
  private readonly active: EncryptionKey;

  /** `keys[0]` encrypts; every key decrypts. */
  constructor(keys: EncryptionKey[]) {
    const [active] = keys;
    if (!active) throw new Error('SecretBox needs at least one key');
    for (const k of keys) {
      if (!KEY_ID.test(k.id)) throw new Error(`Invalid encryption key id "${k.id}"`);
      if (k.key.length !== 32) throw new Error(`Encryption key "${k.id}" must be 32 bytes`);
    }
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    this.active = active;
  }

  get activeKeyId(): string {
    return this.active.id;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.active.key, iv);
    cipher.setAAD(Buffer.from(`${VERSION}.${this.active.id}`));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [
      VERSION,
      this.active.id,
      iv.toString('base64url'),
      tag.toString('base64url'),
      body.toString('base64url'),
    ].join('.');
  }

  decrypt(sealed: string): string {
    const [version, keyId, iv, tag, body] = sealed.split('.');
    if (version !== VERSION || !keyId || !iv || !tag || body === undefined) {
      throw new Error('Not a sealed secret');
    }
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`Secret was sealed with unknown key "${keyId}"`);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${VERSION}.${keyId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }

  /** True when `sealed` is under an older key and should be re-encrypted. */
  needsRotation(sealed: string): boolean {
    return this.keyIdOf(sealed) !== this.active.id;
  }
}

/** Parses `id=base64key,id2=base64key` (the first encrypts). */
export function parseEncryptionKeys(spec: string): EncryptionKey[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq < 1) throw new Error('each key must look like <id>=<base64 of 32 bytes>');
      const id = part.slice(0, eq);
      const key = Buffer.from(part.slice(eq + 1), 'base64');
      if (!KEY_ID.test(id)) throw new Error(`key id "${id}" may use letters, digits, _ and - (up to 32)`);
      if (key.length !== 32) throw new Error(`key "${id}" must decode to 32 bytes (got ${key.length})`);
      return { id, key };
    });
}
