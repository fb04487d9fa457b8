import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';
import { downloadCheckoutOptions, downloadPolicySchema } from '../download';

/** Seed 003 `self_hosted_license`: a signed licence key, and the product's files (LicenseDownloadAdapter). */
export const LICENSE_DRIVER = 'license';

export const LICENSE_TYPES = ['perpetual', 'term'] as const;

/** A key-ring reference: the Ed25519 key that signs this product's licences. */
export const keyRingRefSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9._/-]{0,119}$/, 'must be a key-ring reference such as invoicing/licences');

/**
 * Seed 003 §5.4 `license_download`: the licence template and type (what the key says: product
 * code, features, how long it runs), the activation policy (on how many machines at once), the
 * signing key's key-ring reference, and the download artifacts with their link policy.
 */
export const licenseConfigSchema = z
  .object({
    license_type: z.enum(LICENSE_TYPES).default('perpetual'),
    /** For a `term` licence: how many days it runs from delivery. */
    term_days: z.number().int().min(1).max(3650).nullable().default(null),
    /** Machines the licence may be active on at once. */
    activation_limit: z.number().int().min(1).max(1000),
    signing_key_ref: keyRingRefSchema,
    /** The product as the vendor's software knows it, written in every key. */
    product_code: z
      .string()
      .trim()
      .regex(/^[A-Z0-9][A-Z0-9-]{1,31}$/, 'must be 2 to 32 capital letters, digits and dashes, such as INVOICING-2'),
    /** What the licence unlocks, written in the key for the vendor's software to read. */
    features: z
      .array(
        z
          .string()
          .trim()
          .regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'must be a feature flag such as multi_currency'),
      )
      .max(50)
      .default([]),
    ...downloadPolicySchema,
    files: downloadPolicySchema.files.default([]),
  })
  .superRefine((config, ctx) => {
    if (config.license_type === 'term' && !config.term_days) {
      ctx.addIssue({ code: 'custom', path: ['term_days'], message: 'a term licence needs its length in days' });
    }
  });
export type LicenseConfig = z.output<typeof licenseConfigSchema>;

/** One order line: whom the licence is for, printed in the key (optional). */
export const licenseOrderSchema = z.object({
  licensee: z.string().trim().max(200, 'Keep it under 200 characters').default(''),
});
export type LicenseOrder = z.output<typeof licenseOrderSchema>;

export function licenseCheckoutOptions(config: LicenseConfig) {
  return {
    licenseType: config.license_type,
    termDays: config.term_days,
    activationLimit: config.activation_limit,
    ...downloadCheckoutOptions(config),
  };
}

export const licenseContract = defineDriverContract({
  driver: LICENSE_DRIVER,
  configSchema: licenseConfigSchema,
  inputSchema: licenseOrderSchema,
  checkoutOptions: licenseCheckoutOptions,
});
