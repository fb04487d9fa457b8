import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, p } from './common';

/**
 * A running worker process and the graphile-worker ids it locks jobs under. A process whose
 * heartbeat goes stale has crashed: its jobs and leases are freed for the others.
 */
export const WorkerNode = defineEntity({
  name: 'WorkerNode',
  tableName: 'worker_nodes',
  properties: {
    id: p.string().length(64).primary(),
    hostname: p.string(),
    pid: p.integer(),
    workerIds: p.json<string[]>().defaultRaw(`'[]'`),
    heartbeatAt: p.datetime(),
    createdAt: createdAt(),
  },
});
export type WorkerNode = InferEntity<typeof WorkerNode>;
