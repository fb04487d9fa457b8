import { checkoutInputSchema } from '@handover/contracts';
import { continueSplitCheckout, getCheckoutStatus, startCheckout } from '@handover/core';
import { z } from 'zod';
import { moneyDeps, publicProcedure, router, sessionProcedure } from '../trpc';

/**
 * Seed 000 phases 1-2 from the portal: the order form becomes a pending order and a gateway
 * session; the confirmation page then follows it until the order exists. Guests may check out:
 * the email on the form becomes their account.
 */
export const checkoutRouter = router({
  create: sessionProcedure
    .input(checkoutInputSchema)
    .mutation(({ ctx, input }) => startCheckout(moneyDeps(ctx), input, ctx.auth ? { userId: ctx.auth.user.id } : null)),
  /** Seed 004, one service per order: the payment page of another checkout the cart became. */
  continue: sessionProcedure
    .input(z.object({ pendingOrderId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      continueSplitCheckout(moneyDeps(ctx), input.pendingOrderId, ctx.auth ? { userId: ctx.auth.user.id } : null),
    ),
  status: publicProcedure
    .input(z.object({ pendingOrderId: z.uuid() }))
    .query(({ ctx, input }) => getCheckoutStatus(ctx.em, input.pendingOrderId)),
});
