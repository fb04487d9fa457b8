import { createTestOrder, testOrderInputSchema } from '@handover/core';
import { moneyDeps, opsProcedure, router } from '../trpc';

/** Seed 000's test mode: the exact fulfillment of an order, with no payment, for ops and admins. */
export const testOrdersRouter = router({
  create: opsProcedure
    .input(testOrderInputSchema)
    .mutation(({ ctx, input }) =>
      createTestOrder(moneyDeps(ctx), input, { id: ctx.auth.user.id, email: ctx.auth.user.email }),
    ),
});
