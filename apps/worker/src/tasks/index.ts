import type { EngineDeps } from '@handover/core';
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { fulfill } from './fulfill';
import { inventoryRestocked } from './inventory_restocked';
import { type SendOutboxDeps, sendOutbox } from './send_outbox';

export interface TaskDeps extends SendOutboxDeps {
  engine: EngineDeps;
  logger: Logger;
}

/** One task per file in this folder, named as its identifier. */
export function buildTaskList(deps: TaskDeps): TaskList {
  return {
    fulfill: fulfill(deps),
    inventory_restocked: inventoryRestocked(deps),
    send_outbox: sendOutbox(deps),
  };
}
