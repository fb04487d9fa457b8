import { createHash } from 'node:crypto';
import { type LicenseConfig, type LicenseOrder, licenseContract } from '@handover/contracts/drivers/license';
import {
  ConflictError,
  checkDownloadFiles,
  done,
  type FileStorage,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  findLicenseOfRecord,
  issueLicense,
  NotFoundError,
  PermanentError,
  readSigningKey,
  setEntitlementStatus,
  setLicenseStatus,
} from '@handover/core';
import { z } from 'zod';
import { downloadResult, grantDownloadsStep } from '../download/adapter';

type Step = FulfillmentStepDefinition<LicenseConfig, LicenseOrder>;

const issued = z.object({ licenseId: z.string(), keyHint: z.string(), expiresAt: z.string().nullable() });

/** A signing key that is missing or of the wrong kind is a product set up wrong: no retry helps. */
async function asPermanent<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof ConflictError) {
      throw new PermanentError(error.message, 'signing_key_missing');
    }
    throw error;
  }
}

/**
 * Seed 003's LicenseDownloadAdapter for `self_hosted_license`: a licence key signed with the
 * product's Ed25519 key from the key ring (the vendor's software verifies it offline with the
 * public key shown in the back office, and activates it through Handover's activation API,
 * within the activation limit), then the product's files as a download entitlement.
 */
export function createLicenseAdapter(storage: FileStorage): FulfillmentAdapter<LicenseConfig, LicenseOrder> {
  const steps: Step[] = [
    {
      // Seed 003 §4 step 5 "Self-hosted: generates license + download entitlement".
      name: 'issue_license',
      label: 'Issuing your licence key',
      async run({ config, input, record, em, services, clock }) {
        const license = await asPermanent(() =>
          issueLicense(em, services.secrets, {
            recordId: record.id,
            now: clock.now(),
            terms: {
              signingKeyRef: config.signing_key_ref,
              productCode: config.product_code,
              licensee: input.licensee,
              type: config.license_type,
              termDays: config.term_days,
              activationLimit: config.activation_limit,
              features: config.features,
            },
          }),
        );
        return done(
          {
            licenseId: license.licenseId,
            keyHint: license.keyHint,
            expiresAt: license.expiresAt?.toISOString() ?? null,
          },
          { externalReferenceId: license.licenseId },
        );
      },
      // A delivery that failed later (a file missing) leaves no usable key behind.
      async compensate({ record, em, clock }) {
        await setLicenseStatus(em, record.id, 'revoked', { reason: 'The delivery failed', now: clock.now() });
      },
    },
    grantDownloadsStep<LicenseConfig, LicenseOrder>(storage),
  ];

  const setBoth = async (
    ctx: Parameters<NonNullable<FulfillmentAdapter<LicenseConfig, LicenseOrder>['suspend']>>[0],
    status: 'active' | 'suspended' | 'revoked',
    reason: string,
  ) => {
    await setLicenseStatus(ctx.em, ctx.record.id, status, { reason, now: ctx.clock.now() });
    await setEntitlementStatus(ctx.em, ctx.record.id, status, reason);
  };

  return {
    ...licenseContract,
    deliveryModels: ['self_hosted_license'],
    steps,
    completedStatus: 'active',
    describe: (input) => (input.licensee ? { subject: input.licensee } : {}),
    // The key itself is shown on request on the Products page, never in the record's result.
    result: (outputs) => {
      const license = issued.safeParse(outputs.issue_license);
      return {
        ...(license.success ? { licenseKey: license.data.keyHint, expires: license.data.expiresAt ?? 'never' } : {}),
        ...downloadResult(outputs),
      };
    },
    // Handover is the licence server: the licence's own status is what the vendor's software sees.
    async syncStatus({ em, record }) {
      const license = await findLicenseOfRecord(em, record.id);
      if (!license) return { status: 'missing', message: 'The record has no licence' };
      const status = license.status === 'revoked' ? 'cancelled' : license.status;
      return { status, details: { licenseStatus: license.status } };
    },
    suspend: (ctx) => setBoth(ctx, 'suspended', 'The subscription is unpaid or has ended'),
    resume: (ctx) => setBoth(ctx, 'active', ''),
    // Seed 003: a refunded licence is revoked, and its downloads refused.
    cancel: (ctx) => setBoth(ctx, 'revoked', 'The order was refunded'),
    async testConnection(config, { em, services }) {
      let fingerprint: string;
      try {
        const key = await readSigningKey(em, services.secrets, config.signing_key_ref);
        fingerprint = createHash('sha256').update(key.publicKeyPem).digest('hex').slice(0, 16);
      } catch (error) {
        return { ok: false, message: `Signing key: ${(error as Error).message}` };
      }
      const files = await checkDownloadFiles(storage, config.files);
      return {
        ok: files.ok,
        message: `Signing key "${config.signing_key_ref}" is in the key ring (public key fingerprint ${fingerprint}). ${files.message}`,
      };
    },
  };
}
