import type { DownloadEntitlementStatus } from '@handover/contracts';
import { DownloadEntitlement, type EntitledFile, FulfillmentRecord, type Order, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { PermanentError } from '../errors';
import type { FileStorage } from './fileStorage';

export interface DownloadPolicy {
  files: { key: string; name: string; description?: string }[];
  linkTtlMinutes: number;
  maxDownloads: number | null;
  availableDays: number | null;
}

/**
 * Seed 003's download entitlement: the record's customer may download the product's files. Each
 * file must be in the storage (a missing one fails the step: the product is misconfigured). A
 * record has one entitlement: granting again (a retried step) answers the one already made.
 */
export async function grantDownloads(
  em: EntityManager,
  storage: FileStorage,
  { recordId, policy, now }: { recordId: string; policy: DownloadPolicy; now: Date },
): Promise<{ entitlementId: string; files: EntitledFile[]; expiresAt: Date | null }> {
  const existing = await em.findOne(DownloadEntitlement, { record: recordId });
  if (existing) return { entitlementId: existing.id, files: existing.files, expiresAt: existing.expiresAt ?? null };
  const files: EntitledFile[] = [];
  for (const file of policy.files) {
    const stored = await storage.stat(file.key);
    if (!stored) {
      throw new PermanentError(
        `The file ${file.key} (${file.name}) is not in the download storage (${storage.description})`,
        'file_missing',
      );
    }
    files.push({ key: file.key, name: file.name, description: file.description ?? null, size: stored.size });
  }
  const record = await em.findOneOrFail(FulfillmentRecord, { id: recordId }, { populate: ['order', 'product'] });
  const order = record.order as Order;
  const entitlement = em.create(DownloadEntitlement, {
    record,
    order,
    user: order.user,
    product: record.product as Product,
    files,
    linkTtlMinutes: policy.linkTtlMinutes,
    maxDownloads: policy.maxDownloads,
    expiresAt: policy.availableDays ? new Date(now.getTime() + policy.availableDays * 86_400_000) : null,
  });
  await em.flush();
  return { entitlementId: entitlement.id, files, expiresAt: entitlement.expiresAt ?? null };
}

/** Suspends, restores or revokes the record's entitlement; a revoked one stays revoked. */
export async function setEntitlementStatus(
  em: EntityManager,
  recordId: string,
  status: DownloadEntitlementStatus,
  reason: string,
): Promise<void> {
  const entitlement = await em.findOne(DownloadEntitlement, { record: recordId });
  if (!entitlement || entitlement.status === 'revoked') return;
  Object.assign(entitlement, { status, statusReason: status === 'active' ? null : reason });
  await em.flush();
}

/** Checks that every file of a policy is in the storage, for the back office's "Test connection". */
export async function checkDownloadFiles(
  storage: FileStorage,
  files: DownloadPolicy['files'],
): Promise<{ ok: boolean; message: string }> {
  if (files.length === 0) return { ok: true, message: 'This product hands out no files.' };
  const missing: string[] = [];
  let bytes = 0;
  for (const file of files) {
    const stored = await storage.stat(file.key);
    if (stored) bytes += stored.size;
    else missing.push(file.key);
  }
  return missing.length > 0
    ? { ok: false, message: `Not in the download storage (${storage.description}): ${missing.join(', ')}` }
    : {
        ok: true,
        message: `All ${files.length} file(s) are in the download storage (${storage.description}), ${bytes} bytes in all.`,
      };
}
