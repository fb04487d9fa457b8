import { type DownloadConfig, type DownloadOrder, downloadContract } from '@handover/contracts/drivers/download';
import {
  checkDownloadFiles,
  type DownloadPolicy,
  done,
  type FileStorage,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  grantDownloads,
  setEntitlementStatus,
} from '@handover/core';
import { z } from 'zod';

/** A product's download settings (seed 003 §5.4 "download artifact source") as core takes them. */
export const downloadPolicyOf = (
  config: Pick<DownloadConfig, 'files' | 'link_ttl_minutes' | 'max_downloads' | 'available_days'>,
): DownloadPolicy => ({
  files: config.files,
  linkTtlMinutes: config.link_ttl_minutes,
  maxDownloads: config.max_downloads,
  availableDays: config.available_days,
});

const granted = z.object({ entitlementId: z.string(), files: z.array(z.string()) });

/**
 * The step that grants a record's downloads (seed 003 "download entitlement"): every file must
 * be in the storage; a failed delivery revokes what was granted.
 */
export function grantDownloadsStep<
  C extends Pick<DownloadConfig, 'files' | 'link_ttl_minutes' | 'max_downloads' | 'available_days'>,
  I,
>(storage: FileStorage): FulfillmentStepDefinition<C, I> {
  return {
    name: 'grant_downloads',
    label: 'Preparing your downloads',
    async run({ config, record, em, clock }) {
      if (config.files.length === 0) return done({ entitlementId: null, files: [] });
      const entitlement = await grantDownloads(em, storage, {
        recordId: record.id,
        policy: downloadPolicyOf(config),
        now: clock.now(),
      });
      return done({ entitlementId: entitlement.entitlementId, files: entitlement.files.map((f) => f.name) });
    },
    async compensate({ record, em }) {
      await setEntitlementStatus(em, record.id, 'revoked', 'The delivery failed');
    },
  };
}

/** What the customer sees of a grant: the files' names (links are asked for on the Products page). */
export const downloadResult = (outputs: Readonly<Record<string, Record<string, unknown>>>) => {
  const parsed = granted.safeParse(outputs.grant_downloads);
  return parsed.success ? { files: parsed.data.files.join(', ') } : {};
};

/**
 * Seed 003 `self_hosted_download`: the product's files, alone. The customer downloads them
 * through expiring signed links the server makes and serves (`GET /downloads/<token>`), each
 * download logged; a lapsed subscription suspends them, a refund revokes them.
 */
export function createDownloadAdapter(storage: FileStorage): FulfillmentAdapter<DownloadConfig, DownloadOrder> {
  return {
    ...downloadContract,
    deliveryModels: ['self_hosted_download'],
    steps: [grantDownloadsStep<DownloadConfig, DownloadOrder>(storage)],
    completedStatus: 'active',
    result: downloadResult,
    suspend: ({ em, record }) =>
      setEntitlementStatus(em, record.id, 'suspended', 'The subscription is unpaid or has ended'),
    resume: ({ em, record }) => setEntitlementStatus(em, record.id, 'active', ''),
    cancel: ({ em, record }) => setEntitlementStatus(em, record.id, 'revoked', 'The order was refunded'),
    // Seed 003 §7.3: the files are where the config says, in the storage downloads are served from.
    testConnection: (config) => checkDownloadFiles(storage, config.files),
  };
}
