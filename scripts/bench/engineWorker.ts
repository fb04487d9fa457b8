// A worker process for `pnpm bench:engine`: the production worker with a two-step testkit
// driver (create, activate) that calls the sandbox over HTTP.
import { buildNameserverResolver, createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { runWorkerProcess } from '@handover/worker';
import { z } from 'zod';

const { TESTKIT_URL } = z.object({ TESTKIT_URL: z.url() }).parse(process.env);

await runWorkerProcess(process.env, {
  drivers: () => [createTestkitAdapter(new TestkitClient({ baseUrl: TESTKIT_URL }), { steps: ['create', 'activate'] })],
  nameserverResolver: () => buildNameserverResolver(process.env, 'worker'),
});
