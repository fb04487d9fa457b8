import { getDashboard } from '@handover/core';
import { router, staffProcedure } from '../../trpc';

export const dashboardRouter = router({
  get: staffProcedure.query(({ ctx }) => getDashboard(ctx.em, ctx.clock.now())),
});
