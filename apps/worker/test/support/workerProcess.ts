import { type ManagedProcess, startProcess } from '@handover/scripts/processes';
import { testKeys } from './inProcessWorker';

/**
 * A real worker process with the testkit driver. Short heartbeats and stale-after, so a
 * killed process is taken over within a couple of seconds.
 */
export function startWorkerProcess(databaseUrl: string, testkitUrl: string, name = 'worker'): ManagedProcess {
  return startProcess({
    name,
    entry: 'apps/worker/test/support/testWorker.ts',
    env: {
      DATABASE_URL: databaseUrl,
      HANDOVER_ENCRYPTION_KEYS: testKeys,
      TESTKIT_URL: testkitUrl,
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '5',
      WORKER_POLL_INTERVAL_MS: '200',
      WORKER_HEARTBEAT_MS: '200',
      WORKER_STALE_AFTER_MS: '1500',
      FULFILLMENT_LEASE_MS: '3000',
      // No mail server in these tests: messages wait in the outbox.
      SMTP_PORT: '9',
    },
  });
}
