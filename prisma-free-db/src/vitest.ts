import { afterAll, beforeAll, inject } from 'vitest';
import { type Orm, openOrm } from './orm';
import { createTestDatabase, type TestDatabase } from './testing';

declare module 'vitest' {
  export interface ProvidedContext {
    testPostgres: { adminUrl: string; template: string };
  }
}

export interface UsedTestDatabase {
  readonly url: string;
  readonly orm: Orm;
}

/** A migrated database of the test file's own, with an ORM on it; dropped after the file. */
export function useTestDatabase(options: { poolMax?: number } = {}): UsedTestDatabase {
  let db: TestDatabase | undefined;
  let orm: Orm | undefined;
  beforeAll(async () => {
    db = await createTestDatabase(inject('testPostgres').adminUrl);
    orm = await openOrm({ url: db.url, poolMax: options.poolMax ?? 5 });
  });
  afterAll(async () => {
    await orm?.close(true);
    await db?.drop();
  });
  return {
    get url() {
      if (!db) throw new Error('useTestDatabase: used outside a test');
      return db.url;
    },
    get orm() {
      if (!orm) throw new Error('useTestDatabase: used outside a test');
      return orm;
    },
  };
}
