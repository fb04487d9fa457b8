import { listActivity } from '@handover/core';
import { z } from 'zod';
import { router, staffProcedure } from '../../trpc';
import { dateRange, keysetInput } from './inputs';

export const activityRouter = router({
  list: staffProcedure
    .input(
      z.object({
        ...keysetInput,
        action: z.string().trim().max(100).optional(),
        subjectType: z.string().trim().max(64).optional(),
        subjectId: z.string().trim().max(64).optional(),
        actorId: z.uuid().optional(),
        ...dateRange,
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listActivity(ctx.em, filter, { cursor, limit, order }),
    ),
});
