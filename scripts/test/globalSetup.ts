import { startTestPostgres } from '@handover/db/testing';
import type { TestProject } from 'vitest/node';

import '@handover/db/vitest';

/** One PostgreSQL for the whole run (TEST_DATABASE_URL's server, or an embedded one); a database per test file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pg = await startTestPostgres(process.env.TEST_DATABASE_URL);
  project.provide('testPostgres', { adminUrl: pg.adminUrl, template: pg.template });
  return () => pg.stop();
}
