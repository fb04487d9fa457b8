import { DOWNLOAD_DRIVER } from '@handover/contracts/drivers/download';
import type { DriverDefinition } from '@handover/core';
import { type DownloadStorageEnv, downloadStorageEnvSchema, LocalDiskStorage } from '../../storage/localDiskStorage';
import { createDownloadAdapter } from './adapter';

export * from './adapter';

/** Downloads alone (seed 003 `self_hosted_download`); the files are in DOWNLOADS_DIR. */
export const downloadDriver: DriverDefinition<DownloadStorageEnv> = {
  driver: DOWNLOAD_DRIVER,
  env: downloadStorageEnvSchema,
  create: (env) => createDownloadAdapter(new LocalDiskStorage(env.downloadsDir)),
};
