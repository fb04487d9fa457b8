import { listActiveProducts } from '@handover/core';
import { publicProcedure, router } from '../trpc';

export const catalogRouter = router({
  list: publicProcedure.query(({ ctx }) => listActiveProducts(ctx.em, ctx.registry)),
});
