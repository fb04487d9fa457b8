import { LICENSE_DRIVER } from '@handover/contracts/drivers/license';
import type { DriverDefinition } from '@handover/core';
import { type DownloadStorageEnv, downloadStorageEnvSchema, LocalDiskStorage } from '../../storage/localDiskStorage';
import { createLicenseAdapter } from './adapter';

export * from './adapter';

/** Licences and their downloads (seed 003 `self_hosted_license`); the files are in DOWNLOADS_DIR. */
export const licenseDriver: DriverDefinition<DownloadStorageEnv> = {
  driver: LICENSE_DRIVER,
  env: downloadStorageEnvSchema,
  create: (env) => createLicenseAdapter(new LocalDiskStorage(env.downloadsDir)),
};
