// A worker process with the testkit driver, for tests that kill and restart real processes.
import { buildNameserverResolver, createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { z } from 'zod';
import { runWorkerProcess } from '../../src/process';

const { TESTKIT_URL } = z.object({ TESTKIT_URL: z.url() }).parse(process.env);

await runWorkerProcess(process.env, {
  drivers: () => [createTestkitAdapter(new TestkitClient({ baseUrl: TESTKIT_URL }))],
  nameserverResolver: () => buildNameserverResolver(process.env, 'worker'),
});
