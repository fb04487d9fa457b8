import { assertMayExport, checkListFilter, listNameSchema, listTotals } from '@handover/core';
import { z } from 'zod';
import { router, staffProcedure } from '../../trpc';

/**
 * What the back office's main lists share: the total for the current filter (and sums by
 * currency where the list has amounts). The export itself is a download: GET /exports/<list>.csv.
 */
export const listsRouter = router({
  totals: staffProcedure
    .input(z.object({ list: listNameSchema, filter: z.record(z.string(), z.unknown()).default({}) }))
    .query(({ ctx, input }) => {
      assertMayExport(input.list, ctx.auth.user.role);
      return listTotals(ctx.em, input.list, checkListFilter(input.list, input.filter));
    }),
});
