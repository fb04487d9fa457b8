import { cancelSubscriptionAtPeriodEnd, countCustomerSubscriptions, listCustomerSubscriptions } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

/** Seed 003 §7.1 CustomerSubscriptions: the signed-in customer's recurring products. */
export const subscriptionsRouter = router({
  count: protectedProcedure.query(({ ctx }) => countCustomerSubscriptions(ctx.em, ctx.auth.user.id)),

  mine: protectedProcedure.query(({ ctx }) => listCustomerSubscriptions(ctx.em, ctx.auth.user.id, ctx.gateways)),

  /** Stops the renewals through the gateway; the service runs until the end of the period paid for. */
  cancel: protectedProcedure
    .input(z.object({ subscriptionId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      cancelSubscriptionAtPeriodEnd(
        { em: ctx.em, gateways: ctx.gateways, clock: ctx.clock },
        { userId: ctx.auth.user.id, subscriptionId: input.subscriptionId },
      ),
    ),
});
