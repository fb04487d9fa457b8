import { randomBytes } from 'node:crypto';
import {
  type AnyFulfillmentAdapter,
  DriverRegistry,
  type PaymentGateways,
  SecretBox,
  systemClock,
} from '@handover/core';
import type { Orm } from '@handover/db';
import pino from 'pino';
import { loadWorkerConfig } from '../../src/config';
import { createNodeId, type RunningWorker, startWorker } from '../../src/runner';
import { buildTaskList } from '../../src/tasks';

export const testKeys = `k1=${randomBytes(32).toString('base64')}`;

export interface InProcessWorker extends RunningWorker {
  registry: DriverRegistry;
  secrets: SecretBox;
}

/** A real graphile-worker runner with the engine's tasks, inside the test process. */
export async function startInProcessWorker(
  db: { url: string; orm: Orm },
  drivers: AnyFulfillmentAdapter[],
  env: Record<string, string> = {},
  money: { gateways?: PaymentGateways; deferredRetryDelaysMs?: number[] } = {},
): Promise<InProcessWorker> {
  const config = loadWorkerConfig({
    DATABASE_URL: db.url,
    HANDOVER_ENCRYPTION_KEYS: testKeys,
    LOG_LEVEL: 'silent',
    WORKER_POLL_INTERVAL_MS: '100',
    WORKER_CONCURRENCY: '4',
    ...env,
  });
  const logger = pino({ level: config.LOG_LEVEL });
  const registry = new DriverRegistry(drivers);
  const secrets = new SecretBox(config.HANDOVER_ENCRYPTION_KEYS);
  const nodeId = createNodeId();
  const engine = {
    em: db.orm.em,
    registry,
    clock: systemClock,
    services: { secrets },
    nodeId,
    leaseMs: config.FULFILLMENT_LEASE_MS,
    portalUrl: config.PORTAL_URL,
    logger,
  };
  const payments = {
    em: db.orm.em,
    gateways: money.gateways ?? {},
    registry,
    clock: systemClock,
    logger,
    deferredRetryDelaysMs: money.deferredRetryDelaysMs,
  };
  const worker = await startWorker({
    nodeId,
    config,
    orm: db.orm,
    clock: systemClock,
    logger,
    // No mail server here: messages stay in the outbox, where the tests read them.
    taskList: buildTaskList({ engine, payments, logger, orm: db.orm, clock: systemClock, senders: {} }),
    crontab: '',
  });
  return { ...worker, registry, secrets };
}
