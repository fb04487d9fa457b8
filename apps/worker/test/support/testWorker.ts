// A worker process with the testkit driver, for tests that kill and restart real processes and for
// `pnpm bench:engine` (which starts it by path, so the scripts package needs nothing of the worker).
// TESTKIT_STEPS picks the driver's steps, in order (`create,activate` for the bench); all by default.
import { buildNameserverResolver, createTestkitAdapter, TestkitClient } from '@handover/integrations';
import { z } from 'zod';
import { runWorkerProcess } from '../../src/process';

const STEP = z.enum(['reserve', 'create', 'await_ready', 'review', 'activate']);
const { TESTKIT_URL, TESTKIT_STEPS } = z
  .object({
    TESTKIT_URL: z.url(),
    TESTKIT_STEPS: z
      .string()
      .transform((list) => list.split(',').map((step) => step.trim()))
      .pipe(z.array(STEP).min(1))
      .optional(),
  })
  .parse(process.env);

await runWorkerProcess(process.env, {
  drivers: () => [createTestkitAdapter(new TestkitClient({ baseUrl: TESTKIT_URL }), { steps: TESTKIT_STEPS })],
  nameserverResolver: () => buildNameserverResolver(process.env, 'worker'),
});
