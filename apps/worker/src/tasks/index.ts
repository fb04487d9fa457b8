import type { TaskList } from 'graphile-worker';
import { type SendOutboxDeps, sendOutbox } from './send_outbox';

export type TaskDeps = SendOutboxDeps;

/** One task per file in this folder, named as its identifier. */
export function buildTaskList(deps: TaskDeps): TaskList {
  return {
    send_outbox: sendOutbox(deps),
  };
}
