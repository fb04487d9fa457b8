import { LIST_EXPORTS, listActivity } from '@handover/core';
import { router, staffProcedure } from '../../trpc';
import { keysetInput } from './inputs';

export const activityRouter = router({
  list: staffProcedure
    .input(LIST_EXPORTS.activity.filter.extend(keysetInput))
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listActivity(ctx.em, filter, { cursor, limit, order }),
    ),
});
