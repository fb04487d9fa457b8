import { runFulfillment } from '@handover/core';
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from './deps';

const payload = z.object({ recordId: z.uuid() });

/** Runs one fulfillment record as far as it can go (the engine in packages/core). */
export function fulfill(deps: TaskDeps): Task {
  return async (raw) => {
    const parsed = payload.safeParse(raw);
    if (!parsed.success) {
      // Retrying a malformed job cannot help; say so and let it go.
      deps.logger.error({ payload: raw }, 'fulfill job without a valid recordId; dropped');
      return;
    }
    const outcome = await runFulfillment(deps.engine, parsed.data.recordId);
    deps.logger.debug({ recordId: parsed.data.recordId, outcome }, 'fulfillment run finished');
  };
}
