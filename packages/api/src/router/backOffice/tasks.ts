import { MANUAL_TASK_STATUSES } from '@handover/contracts';
import { completeManualTask, listManualTasks } from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router } from '../../trpc';
import { offsetInput, offsetOf } from './inputs';

/** The manual task queue: work people do by hand, with an SLA. */
export const tasksRouter = router({
  list: opsProcedure
    .input(
      z.object({
        ...offsetInput,
        status: z.enum([...MANUAL_TASK_STATUSES, 'outstanding']).optional(),
        queue: z.string().trim().min(1).max(64).optional(),
      }),
    )
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listManualTasks(ctx.em, filter, offsetOf({ page, perPage }), ctx.clock.now()),
    ),

  /** The resolution becomes the step's output (e.g. `{ "note": "..." }`); the record goes on. */
  complete: opsProcedure
    .input(
      z.object({
        id: z.uuid(),
        resolution: z
          .record(z.string(), z.unknown())
          .refine((value) => JSON.stringify(value).length <= 20_000, 'keep the resolution under 20,000 characters'),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      await completeManualTask(
        ctx.em,
        input.id,
        input.resolution,
        { type: 'user', id: ctx.auth.user.id },
        ctx.clock.now(),
      );
      return { id: input.id, status: 'done' as const };
    }),
});
