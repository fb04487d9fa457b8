import type {
  DedicatedInstanceStatus,
  DownloadEntitlementStatus,
  FulfillmentStatus,
  LicenseStatus,
} from '@handover/contracts';
import {
  DedicatedInstance,
  DownloadEntitlement,
  ExternalTenantLink,
  FulfillmentRecord,
  License,
  LicenseActivation,
  ManualTask,
  type Order,
  type Product,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { recordActivity } from '../activity/activity';
import { NotFoundError } from '../errors';
import type { SecretBox } from '../security/secrets';

// Seed 003 §7.1: the customer's Products page (CustomerInstallations, CustomerLicenses, the
// workspaces and downloads), each kind read from the table its driver fills. Never a secret:
// a licence key and an instance's admin password are given on request, and logged.

export interface CustomerWorkspace {
  recordId: string;
  orderCode: string;
  productName: string;
  status: FulfillmentStatus;
  workspaceUrl: string;
  plan: string | null;
}

export interface CustomerInstallation {
  recordId: string;
  orderCode: string;
  productName: string;
  kind: 'dedicated_instance' | 'managed_setup';
  status: FulfillmentStatus;
  /** A dedicated instance as the provider last answered. */
  instanceStatus: DedicatedInstanceStatus | null;
  url: string | null;
  hostname: string | null;
  /** For an instance on the customer's own domain: where its CNAME must point. */
  cnameTarget: string | null;
  region: string | null;
  adminUsername: string | null;
  /** The operator's handover note of a managed setup. */
  note: string | null;
  deliveredAt: Date | null;
}

export interface CustomerLicense {
  id: string;
  recordId: string;
  orderCode: string;
  productName: string;
  productCode: string;
  licensee: string;
  status: LicenseStatus;
  statusReason: string | null;
  keyHint: string;
  issuedAt: Date;
  expiresAt: Date | null;
  activationLimit: number;
  /** The key-ring reference of the key that signed it: the public key the vendor's software checks it with. */
  signingKeyRef: string;
  activations: { id: string; instanceId: string; label: string; activatedAt: Date; lastSeenAt: Date }[];
}

export interface CustomerDownloads {
  entitlementId: string;
  recordId: string;
  orderCode: string;
  productName: string;
  status: DownloadEntitlementStatus;
  statusReason: string | null;
  expiresAt: Date | null;
  maxDownloads: number | null;
  files: { key: string; name: string; description: string | null; size: number; downloads: number }[];
}

export interface CustomerProducts {
  workspaces: CustomerWorkspace[];
  installations: CustomerInstallation[];
  licenses: CustomerLicense[];
  downloads: CustomerDownloads[];
}

const orderCodeOf = (record: { order: unknown }) => (record.order as Order).orderCode;
const productNameOf = (record: { product: unknown }) => (record.product as Product).name;

/** Everything the customer owns of the marketplace's kinds, newest first. */
export async function listCustomerProducts(em: EntityManager, userId: string): Promise<CustomerProducts> {
  const [links, workspaceRecords, instances, tasks, licenses, entitlements] = await Promise.all([
    em.find(ExternalTenantLink, { user: userId }),
    em.find(
      FulfillmentRecord,
      { order: { user: userId }, externalWorkspaceUrl: { $ne: null } },
      { populate: ['order', 'product'], orderBy: { createdAt: 'desc' } },
    ),
    em.find(
      DedicatedInstance,
      { user: userId },
      { populate: ['record.order', 'record.product'], orderBy: { createdAt: 'desc' } },
    ),
    em.find(
      ManualTask,
      { status: 'done', record: { order: { user: userId }, status: { $in: ['completed', 'active', 'suspended'] } } },
      { populate: ['record.order', 'record.product'], orderBy: { completedAt: 'desc' } },
    ),
    em.find(License, { user: userId }, { populate: ['order', 'product'], orderBy: { createdAt: 'desc' } }),
    em.find(DownloadEntitlement, { user: userId }, { populate: ['order', 'product'], orderBy: { createdAt: 'desc' } }),
  ]);
  const planOf = new Map(links.map((link) => [link.fulfillmentRecord.id, link.plan ?? null]));
  const activations = licenses.length
    ? await em.find(
        LicenseActivation,
        { license: { $in: licenses.map((l) => l.id) }, status: 'active' },
        { orderBy: { activatedAt: 'asc' } },
      )
    : [];
  const served = entitlements.length
    ? await em.getConnection().execute<{ entitlement_id: string; file_key: string; n: number }[]>(
        `select entitlement_id, file_key, count(*)::int as n from download_logs
            where outcome = 'served' and entitlement_id in (${entitlements.map(() => '?').join(', ')})
            group by entitlement_id, file_key`,
        entitlements.map((e) => e.id),
      )
    : [];
  const downloadCount = (entitlementId: string, key: string) =>
    served.find((row) => row.entitlement_id === entitlementId && row.file_key === key)?.n ?? 0;

  return {
    workspaces: workspaceRecords.map((record) => ({
      recordId: record.id,
      orderCode: orderCodeOf(record),
      productName: productNameOf(record),
      status: record.status,
      workspaceUrl: record.externalWorkspaceUrl ?? '',
      plan: planOf.get(record.id) ?? null,
    })),
    installations: [
      ...instances.map((instance): CustomerInstallation => {
        const record = instance.record as FulfillmentRecord;
        return {
          recordId: record.id,
          orderCode: orderCodeOf(record),
          productName: productNameOf(record),
          kind: 'dedicated_instance',
          status: record.status,
          instanceStatus: instance.status,
          url: instance.url ?? null,
          hostname: instance.hostname,
          cnameTarget: instance.cnameTarget ?? null,
          region: instance.region,
          adminUsername: instance.adminUsername ?? null,
          note: null,
          deliveredAt: record.completedAt ?? null,
        };
      }),
      ...tasks.map((task): CustomerInstallation => {
        const record = task.record as FulfillmentRecord;
        const note = task.resolution?.note;
        return {
          recordId: record.id,
          orderCode: orderCodeOf(record),
          productName: productNameOf(record),
          kind: 'managed_setup',
          status: record.status,
          instanceStatus: null,
          url: null,
          hostname: null,
          cnameTarget: null,
          region: null,
          adminUsername: null,
          note: typeof note === 'string' ? note : null,
          deliveredAt: task.completedAt ?? null,
        };
      }),
    ],
    licenses: licenses.map((license) => ({
      id: license.id,
      recordId: license.record.id,
      orderCode: (license.order as Order).orderCode,
      productName: (license.product as Product).name,
      productCode: license.productCode,
      licensee: license.licensee,
      status: license.status,
      statusReason: license.statusReason ?? null,
      keyHint: license.keyHint,
      issuedAt: license.issuedAt,
      expiresAt: license.expiresAt ?? null,
      activationLimit: license.activationLimit,
      signingKeyRef: license.signingKeyRef,
      activations: activations
        .filter((a) => a.license.id === license.id)
        .map((a) => ({
          id: a.id,
          instanceId: a.instanceId,
          label: a.label,
          activatedAt: a.activatedAt,
          lastSeenAt: a.lastSeenAt,
        })),
    })),
    downloads: entitlements.map((entitlement) => ({
      entitlementId: entitlement.id,
      recordId: entitlement.record.id,
      orderCode: (entitlement.order as Order).orderCode,
      productName: (entitlement.product as Product).name,
      status: entitlement.status,
      statusReason: entitlement.statusReason ?? null,
      expiresAt: entitlement.expiresAt ?? null,
      maxDownloads: entitlement.maxDownloads ?? null,
      files: entitlement.files.map((file) => ({ ...file, downloads: downloadCount(entitlement.id, file.key) })),
    })),
  };
}

/** Which tabs the customer's Products page shows (and whether the menu shows it at all). */
export async function customerProductKinds(em: EntityManager, userId: string) {
  const [workspaces, instances, setups, licenses, downloads] = await Promise.all([
    em.count(FulfillmentRecord, { order: { user: userId }, externalWorkspaceUrl: { $ne: null } }),
    em.count(DedicatedInstance, { user: userId }),
    em.count(ManualTask, {
      status: 'done',
      record: { order: { user: userId }, status: { $in: ['completed', 'active', 'suspended'] } },
    }),
    em.count(License, { user: userId }),
    em.count(DownloadEntitlement, { user: userId }),
  ]);
  return { workspaces, installations: instances + setups, licenses, downloads };
}

/** The whole licence key, for its owner; every reveal is in the activity log. */
export async function revealLicenseKey(
  em: EntityManager,
  box: SecretBox,
  { userId, licenseId }: { userId: string; licenseId: string },
): Promise<{ licenseKey: string }> {
  const license = await em.findOne(License, { id: licenseId, user: userId });
  if (!license) throw new NotFoundError('No such licence in your account.');
  recordActivity(em, {
    action: 'license.key_revealed',
    subjectType: 'license',
    subjectId: license.id,
    actor: { type: 'user', id: userId },
  });
  await em.flush();
  return { licenseKey: box.decrypt(license.keyEncrypted) };
}

/** A dedicated instance's first admin password, for its owner; every reveal is in the activity log. */
export async function revealInstancePassword(
  em: EntityManager,
  box: SecretBox,
  { userId, recordId }: { userId: string; recordId: string },
): Promise<{ username: string; password: string }> {
  const instance = await em.findOne(DedicatedInstance, { record: recordId, user: userId });
  if (!instance?.adminPasswordEncrypted || !instance.adminUsername) {
    throw new NotFoundError('No instance login to show in your account.');
  }
  recordActivity(em, {
    action: 'dedicated_instance.password_revealed',
    subjectType: 'fulfillment_record',
    subjectId: recordId,
    actor: { type: 'user', id: userId },
  });
  await em.flush();
  return { username: instance.adminUsername, password: box.decrypt(instance.adminPasswordEncrypted) };
}

/** The customer frees one of their licence's machines from the Products page. */
export async function deactivateCustomerActivation(
  em: EntityManager,
  { userId, activationId, now }: { userId: string; activationId: string; now: Date },
): Promise<void> {
  const activation = await em.findOne(LicenseActivation, { id: activationId, license: { user: userId } });
  if (!activation) throw new NotFoundError('No such activation in your account.');
  if (activation.status === 'deactivated') return;
  Object.assign(activation, { status: 'deactivated', deactivatedAt: now });
  recordActivity(em, {
    action: 'license.deactivated',
    subjectType: 'license',
    subjectId: activation.license.id,
    actor: { type: 'user', id: userId },
    properties: { instanceId: activation.instanceId },
  });
  await em.flush();
}
