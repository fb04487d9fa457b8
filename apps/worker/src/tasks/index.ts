import type { DnsVerificationDeps, EngineDeps } from '@handover/core';
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { fulfill } from './fulfill';
import { inventoryRestocked } from './inventory_restocked';
import { type SendOutboxDeps, sendOutbox } from './send_outbox';
import { verifyDns } from './verify_dns';

export interface TaskDeps extends SendOutboxDeps {
  engine: EngineDeps;
  /** The DNS cron's resolver and settings (seed 000 phase 5). */
  dns: DnsVerificationDeps;
  logger: Logger;
}

/** One task per file in this folder, named as its identifier. */
export function buildTaskList(deps: TaskDeps): TaskList {
  return {
    fulfill: fulfill(deps),
    inventory_restocked: inventoryRestocked(deps),
    send_outbox: sendOutbox(deps),
    verify_dns: verifyDns(deps),
  };
}
