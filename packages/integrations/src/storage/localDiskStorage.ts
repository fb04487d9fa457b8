import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import type { FileStorage, StoredFile } from '@handover/core';
import { parseEnv } from '@handover/core';
import { z } from 'zod';

/**
 * Download storage on the local disk (seed 003 "files behind a storage interface with a
 * local-disk default"): a key is a path under the root; one that would leave it is refused.
 */
export class LocalDiskStorage implements FileStorage {
  readonly description: string;
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.description = `local disk at ${this.root}`;
  }

  private pathOf(key: string): string | null {
    if (key === '' || key.includes('\0') || isAbsolute(key)) return null;
    const path = resolve(this.root, key);
    const inside = relative(this.root, path);
    return inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')
      ? null
      : path;
  }

  async stat(key: string): Promise<StoredFile | null> {
    const path = this.pathOf(key);
    if (!path) return null;
    try {
      const found = await stat(path);
      return found.isFile() ? { size: found.size } : null;
    } catch {
      return null;
    }
  }

  async open(key: string): Promise<Readable> {
    const path = this.pathOf(key);
    if (!path || !(await this.stat(key))) throw new Error(`No file ${key} in the download storage`);
    return createReadStream(path);
  }
}

/** DOWNLOADS_DIR: where the products' downloadable files are kept (server and worker). */
export const downloadStorageEnvSchema = z
  .object({ DOWNLOADS_DIR: z.string().min(1, 'is required') })
  .transform((env) => ({ downloadsDir: env.DOWNLOADS_DIR }));
export type DownloadStorageEnv = z.output<typeof downloadStorageEnvSchema>;

/** The download storage the environment describes; a missing DOWNLOADS_DIR stops the process, named. */
export function buildDownloadStorage(env: Record<string, string | undefined>, app: string): FileStorage {
  return new LocalDiskStorage(parseEnv(app, downloadStorageEnvSchema, env).downloadsDir);
}
