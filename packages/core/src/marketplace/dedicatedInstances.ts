import type { DedicatedInstanceStatus } from '@handover/contracts';
import { DedicatedInstance, FulfillmentRecord, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SecretBox } from '../security/secrets';

/** An instance as the provisioning API answers it. */
export interface InstanceFacts {
  providerInstanceId: string;
  template: string;
  plan: string;
  region: string;
  hostname: string;
  cnameTarget: string | null;
  url: string | null;
  status: DedicatedInstanceStatus;
  /** Given once the instance is ready; its password is sealed here and never kept elsewhere. */
  admin: { username: string; password: string } | null;
  readyAt: Date | null;
}

/**
 * The record's dedicated instance (seed 003 `saas_singletenant`), written each time the
 * provisioning API answers; the first admin's password is sealed with the key ring's SecretBox.
 */
export async function recordDedicatedInstance(
  em: EntityManager,
  box: SecretBox,
  { recordId, userId, facts }: { recordId: string; userId: string; facts: InstanceFacts },
): Promise<void> {
  const { admin, ...rest } = facts;
  const fields = {
    ...rest,
    ...(admin ? { adminUsername: admin.username, adminPasswordEncrypted: box.encrypt(admin.password) } : {}),
  };
  const existing = await em.findOne(DedicatedInstance, { record: recordId });
  if (existing) em.assign(existing, fields);
  else {
    em.create(DedicatedInstance, {
      record: em.getReference(FulfillmentRecord, recordId),
      user: em.getReference(User, userId),
      ...fields,
    });
  }
  await em.flush();
}

/** The record's instance as last seen (status changes from suspend, resume, delete). */
export async function setDedicatedInstanceStatus(
  em: EntityManager,
  recordId: string,
  status: DedicatedInstanceStatus,
): Promise<void> {
  const instance = await em.findOne(DedicatedInstance, { record: recordId });
  if (!instance) return;
  instance.status = status;
  await em.flush();
}

export async function findDedicatedInstance(em: EntityManager, recordId: string): Promise<DedicatedInstance | null> {
  return em.findOne(DedicatedInstance, { record: recordId });
}
