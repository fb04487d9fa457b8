import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes } from 'node:crypto';
import type { KeyRingKind } from '@handover/contracts';
import { KeyRingEntry, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import type { SecretBox } from './secrets';

const REF = /^[a-z0-9][a-z0-9._/-]{0,119}$/;

/** A key-ring entry as staff see it: never the secret or the private key. */
export interface KeyRingView {
  id: string;
  ref: string;
  kind: KeyRingKind;
  hint: string | null;
  publicKey: string | null;
  description: string;
  createdAt: Date;
  updatedAt: Date;
}

const view = (entry: KeyRingEntry): KeyRingView => ({
  id: entry.id,
  ref: entry.ref,
  kind: entry.kind,
  hint: entry.hint ?? null,
  publicKey: entry.publicKey ?? null,
  description: entry.description,
  createdAt: entry.createdAt,
  updatedAt: entry.updatedAt,
});

function checkRef(ref: string): void {
  if (!REF.test(ref)) {
    throw new ValidationError('Not a key-ring reference', {
      ref: ['Use lower-case letters, digits, dots, dashes and slashes, such as point-of-sale/hmac'],
    });
  }
}

export async function listKeyRing(em: EntityManager): Promise<KeyRingView[]> {
  return (await em.find(KeyRingEntry, {}, { orderBy: { ref: 'asc' } })).map(view);
}

/**
 * Stores a shared secret under `ref` (seed 003 `credentials_ref`), or replaces the one there.
 * Without `value`, a random one of 32 bytes is made; it is answered once, to hand to the vendor.
 */
export async function putKeyRingSecret(
  em: EntityManager,
  box: SecretBox,
  input: { ref: string; value?: string; description?: string },
  actor: Actor,
): Promise<KeyRingView & { secret: string | null }> {
  checkRef(input.ref);
  const generated = input.value === undefined;
  const secret = input.value ?? randomBytes(32).toString('hex');
  if (secret.length < 32) {
    throw new ValidationError('The secret is too short', { value: ['Use at least 32 characters'] });
  }
  return em.transactional(async (tem) => {
    const existing = await tem.findOne(KeyRingEntry, { ref: input.ref });
    if (existing && existing.kind !== 'hmac_secret') {
      throw new ConflictError(`${input.ref} holds a signing key, not a shared secret`);
    }
    const fields = {
      secretEncrypted: box.encrypt(secret),
      hint: secret.slice(-4),
      ...(input.description !== undefined ? { description: input.description } : {}),
    };
    const entry = existing
      ? tem.assign(existing, fields)
      : tem.create(KeyRingEntry, {
          ref: input.ref,
          kind: 'hmac_secret',
          publicKey: null,
          createdBy: actor.type === 'user' ? tem.getReference(User, actor.id) : null,
          ...fields,
        });
    recordActivity(tem, {
      action: existing ? 'key_ring.secret_replaced' : 'key_ring.secret_added',
      subjectType: 'key_ring_entry',
      subjectId: input.ref,
      actor,
      properties: { ref: input.ref, generated },
    });
    await tem.flush();
    return { ...view(entry), secret: generated ? secret : null };
  });
}

/**
 * Makes an Ed25519 key pair under `ref` for signing a product's licences. A ref already holding
 * one is refused: licences signed with it would no longer verify with a new public key.
 */
export async function createSigningKey(
  em: EntityManager,
  box: SecretBox,
  input: { ref: string; description?: string },
  actor: Actor,
): Promise<KeyRingView> {
  checkRef(input.ref);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return em.transactional(async (tem) => {
    if (await tem.findOne(KeyRingEntry, { ref: input.ref })) {
      throw new ConflictError(`${input.ref} is already in the key ring; choose another reference`);
    }
    const entry = tem.create(KeyRingEntry, {
      ref: input.ref,
      kind: 'ed25519_signing_key',
      secretEncrypted: box.encrypt(privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')),
      publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      hint: null,
      description: input.description ?? '',
      createdBy: actor.type === 'user' ? tem.getReference(User, actor.id) : null,
    });
    recordActivity(tem, {
      action: 'key_ring.signing_key_created',
      subjectType: 'key_ring_entry',
      subjectId: input.ref,
      actor,
      properties: { ref: input.ref },
    });
    await tem.flush();
    return view(entry);
  });
}

async function entryOf(em: EntityManager, ref: string, kind: KeyRingKind): Promise<KeyRingEntry> {
  const entry = await em.findOne(KeyRingEntry, { ref });
  if (!entry) throw new NotFoundError(`Nothing is stored under "${ref}" in the key ring`);
  if (entry.kind !== kind) {
    throw new ConflictError(
      `"${ref}" in the key ring holds ${entry.kind === 'hmac_secret' ? 'a shared secret' : 'a signing key'}`,
    );
  }
  return entry;
}

/** The shared secret under `ref`, for signing a provider call. */
export async function readKeyRingSecret(em: EntityManager, box: SecretBox, ref: string): Promise<string> {
  return box.decrypt((await entryOf(em, ref, 'hmac_secret')).secretEncrypted);
}

export interface SigningKey {
  ref: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicKeyPem: string;
}

/** The Ed25519 key pair under `ref`, for signing licences. */
export async function readSigningKey(em: EntityManager, box: SecretBox, ref: string): Promise<SigningKey> {
  const entry = await entryOf(em, ref, 'ed25519_signing_key');
  const privateKey = createPrivateKey({
    key: Buffer.from(box.decrypt(entry.secretEncrypted), 'base64'),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKeyPem =
    entry.publicKey ?? createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString();
  return { ref, privateKey, publicKey: createPublicKey(publicKeyPem), publicKeyPem };
}

/** A signing key's public half, which anyone may read (the vendor's software embeds it). */
export async function readPublicKey(em: EntityManager, ref: string): Promise<string> {
  const entry = await entryOf(em, ref, 'ed25519_signing_key');
  return entry.publicKey ?? '';
}
