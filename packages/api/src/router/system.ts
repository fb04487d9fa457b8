import { checkHealth } from '@handover/core';
import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  health: publicProcedure.query(({ ctx }) => checkHealth(ctx.em, ctx.clock)),
});
