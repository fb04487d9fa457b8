import type { PlatformCredentials } from '@handover/contracts/drivers/private-smtp';
import { type CredentialHint, Order, PlatformCredential } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PermanentError } from '../errors';
import type { SecretBox } from '../security/secrets';

/** What the customer sees of saved credentials: the platform and a hint, never a whole key. */
export interface SavedCredentials {
  id: string;
  platform: PlatformCredentials['platform'];
  hint: CredentialHint;
}

/** Unclaimed credentials (a checkout never paid) are forgotten after this long. */
export const UNCLAIMED_CREDENTIALS_TTL_MS = 7 * 24 * 3_600_000;

export function credentialHint(credentials: PlatformCredentials): CredentialHint {
  const keyEnding = credentials.apiKey.slice(-4);
  return credentials.platform === 'namecheap' ? { apiUser: credentials.apiUser, keyEnding } : { keyEnding };
}

/**
 * Seed 001 step 1.4's platform_credentials, saved before checkout: the order line keeps only
 * the returned id. Encrypted with the key ring; only an order placed under `ownerEmail` may use them.
 */
export async function savePlatformCredentials(
  em: EntityManager,
  secrets: SecretBox,
  input: { email: string; credentials: PlatformCredentials },
): Promise<SavedCredentials> {
  const row = em.create(PlatformCredential, {
    platformType: input.credentials.platform,
    credentialsEncrypted: secrets.encrypt(JSON.stringify(input.credentials)),
    hint: credentialHint(input.credentials),
    ownerEmail: input.email.toLowerCase(),
  });
  await em.flush();
  return { id: row.id, platform: row.platformType, hint: row.hint };
}

/**
 * The credentials a record's line refers to, bound to its order the first time (an order may
 * only use credentials saved under its own email and not taken by another order). Decrypted
 * for the caller's registrar call only.
 */
export async function claimPlatformCredentials(
  em: EntityManager,
  secrets: SecretBox,
  { credentialId, orderId }: { credentialId: string; orderId: string },
): Promise<PlatformCredentials | null> {
  return em.transactional(async (tem) => {
    const row = await tem.findOne(PlatformCredential, { id: credentialId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) return null;
    if (row.order && row.order.id !== orderId) {
      throw new PermanentError('These registrar credentials belong to another order', 'credentials_in_use');
    }
    if (!row.order) {
      const order = await tem.findOneOrFail(Order, { id: orderId }, { fields: ['email'] });
      if (order.email.toLowerCase() !== row.ownerEmail) {
        throw new PermanentError('These registrar credentials were saved for another customer', 'credentials_in_use');
      }
      row.order = tem.getReference(Order, orderId);
    }
    return JSON.parse(secrets.decrypt(row.credentialsEncrypted)) as PlatformCredentials;
  });
}

/**
 * New credentials for an order's line (a resubmitted draft): replaced in place, or saved again
 * under the same id when the old ones were forgotten, so the line's reference still holds.
 */
export async function replacePlatformCredentials(
  em: EntityManager,
  secrets: SecretBox,
  input: { credentialId: string; orderId: string; email: string; credentials: PlatformCredentials },
): Promise<SavedCredentials> {
  const sealed = secrets.encrypt(JSON.stringify(input.credentials));
  const hint = credentialHint(input.credentials);
  const row =
    (await em.findOne(PlatformCredential, { id: input.credentialId })) ??
    em.create(PlatformCredential, {
      id: input.credentialId,
      platformType: input.credentials.platform,
      credentialsEncrypted: sealed,
      hint,
      ownerEmail: input.email.toLowerCase(),
    });
  if (row.order && row.order.id !== input.orderId) {
    throw new PermanentError('These registrar credentials belong to another order', 'credentials_in_use');
  }
  Object.assign(row, {
    order: em.getReference(Order, input.orderId),
    platformType: input.credentials.platform,
    credentialsEncrypted: sealed,
    hint,
    draftNotifiedAt: null,
  });
  await em.flush();
  return { id: row.id, platform: row.platformType, hint: row.hint };
}

/** Credentials saved for a checkout that was never paid, forgotten after a week. Returns how many. */
export async function forgetUnclaimedCredentials(em: EntityManager, now: Date): Promise<number> {
  return em.nativeDelete(PlatformCredential, {
    order: null,
    createdAt: { $lt: new Date(now.getTime() - UNCLAIMED_CREDENTIALS_TTL_MS) },
  });
}
