import type { Readable } from 'node:stream';

/** A file as the storage has it. */
export interface StoredFile {
  size: number;
}

/**
 * Where a product's downloadable files are kept (seed 003 "download artifact source"). Keys are
 * relative paths (`invoicing/2.4.0/setup.zip`); an implementation never reads outside its own
 * store. The local-disk one is in packages/integrations; an object store would be another.
 */
export interface FileStorage {
  /** What names the store in messages ("local disk at /srv/downloads"). */
  readonly description: string;
  /** The file under `key`, or null when there is none. */
  stat(key: string): Promise<StoredFile | null>;
  /** Its bytes; throws when there is no such file. */
  open(key: string): Promise<Readable>;
}
