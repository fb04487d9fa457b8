import { listActiveProducts } from '@handover/core';
import { publicProcedure, router } from '../trpc';

export const catalogRouter = router({
  /** Products on sale, each with the ways to pay it that this server can take (the wallet always). */
  list: publicProcedure.query(({ ctx }) =>
    listActiveProducts(ctx.em, ctx.registry, (gateway) => gateway === 'wallet' || ctx.gateways[gateway] !== undefined),
  ),
});
