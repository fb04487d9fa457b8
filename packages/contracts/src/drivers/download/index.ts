import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';

/** Seed 003 `self_hosted_download`: files the customer downloads, alone (LicenseDownloadAdapter without a key). */
export const DOWNLOAD_DRIVER = 'download';

/** Where a file sits in the download storage: a relative path, never leaving it. */
export const storageKeySchema = z
  .string()
  .trim()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*(\/[A-Za-z0-9][A-Za-z0-9._-]*)*$/,
    'must be a path inside the download storage, such as invoicing/2.4.0/setup.zip',
  )
  .max(250)
  .refine((key) => !key.split('/').includes('..'), 'must not leave the download storage');

/** Seed 003 §5.4 "download artifact source": one file as the customer sees it. */
export const downloadFileSchema = z.object({
  key: storageKeySchema,
  /** What the customer reads: "Invoicing 2.4.0 for Windows". */
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(500).optional(),
});
export type DownloadFile = z.output<typeof downloadFileSchema>;

/** How a product's files are handed out: which, for how long a link works, how many times each. */
export const downloadPolicySchema = {
  files: z
    .array(downloadFileSchema)
    .max(50)
    .superRefine((files, ctx) => {
      const seen = new Set<string>();
      for (const [index, file] of files.entries()) {
        if (seen.has(file.key)) ctx.addIssue({ code: 'custom', path: [index, 'key'], message: 'is listed twice' });
        seen.add(file.key);
      }
    }),
  /** How long a download link works once the customer asks for it. */
  link_ttl_minutes: z.number().int().min(1).max(1440).default(15),
  /** Downloads of each file before the customer must ask us; null: no limit. */
  max_downloads: z.number().int().min(1).max(1000).nullable().default(null),
  /** Days after delivery the files stay downloadable; null: as long as the entitlement lasts. */
  available_days: z.number().int().min(1).max(3650).nullable().default(null),
};

export const downloadConfigSchema = z.object({
  ...downloadPolicySchema,
  files: downloadPolicySchema.files.min(1, 'list at least one file'),
});
export type DownloadConfig = z.output<typeof downloadConfigSchema>;

/** Nothing to fill in: what is downloaded is the product's. */
export const downloadOrderSchema = z.object({});
export type DownloadOrder = z.output<typeof downloadOrderSchema>;

/** What the order form says: the files the customer will be able to download. */
export const downloadCheckoutOptions = (config: Pick<DownloadConfig, 'files' | 'available_days'>) => ({
  files: config.files.map((file) => ({ name: file.name, description: file.description ?? null })),
  availableDays: config.available_days,
});

export const downloadContract = defineDriverContract({
  driver: DOWNLOAD_DRIVER,
  configSchema: downloadConfigSchema,
  inputSchema: downloadOrderSchema,
  checkoutOptions: (config: DownloadConfig) => downloadCheckoutOptions(config),
});
