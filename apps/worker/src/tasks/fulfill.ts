import { runFulfillment } from '@handover/core';
import { defineTask } from '../defineTask';
import type { TaskDeps } from './deps';

/** Runs one fulfillment record as far as it can go (the engine in packages/core). */
export const fulfill = (deps: TaskDeps) =>
  defineTask('fulfill', async ({ recordId }) => {
    const outcome = await runFulfillment(deps.engine, recordId);
    deps.logger.debug({ recordId, outcome }, 'fulfillment run finished');
  });
