import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * PayPal's webhook signature, as its docs describe it: SHA256withRSA over
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, decimal>`. PayPal signs
 * with its certificate; the emulator signs with a key pair of its own, made at start.
 */
export class PayPalSigner {
  private readonly privateKey: KeyObject;
  readonly publicKeyPem: string;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(fields: SignedFields): string {
    return createSign('sha256').update(signedString(fields)).sign(this.privateKey, 'base64');
  }

  verify(fields: SignedFields, signature: string): boolean {
    try {
      return createVerify('sha256').update(signedString(fields)).verify(this.publicKeyPem, signature, 'base64');
    } catch {
      return false;
    }
  }
}

export interface SignedFields {
  transmissionId: string;
  transmissionTime: string;
  webhookId: string;
  body: string;
}

function signedString(fields: SignedFields): string {
  return `${fields.transmissionId}|${fields.transmissionTime}|${fields.webhookId}|${crc32(Buffer.from(fields.body, 'utf8'))}`;
}
