import { refundOrderInputSchema } from '@handover/contracts';
import { getOrderPayments, refundOrder } from '@handover/core';
import { z } from 'zod';
import { financeProcedure, moneyDeps, router, staffProcedure } from '../trpc';

/** An order's money for the back office; refunds are for finance and admins. */
export const paymentsRouter = router({
  forOrder: staffProcedure
    .input(z.object({ orderId: z.uuid() }))
    .query(({ ctx, input }) => getOrderPayments(ctx.em, input.orderId)),
  /** Money going out: a person signed in decides it, never a token. */
  refund: financeProcedure
    .meta({ sessionOnly: true })
    .input(refundOrderInputSchema)
    .mutation(({ ctx, input }) => refundOrder(moneyDeps(ctx), input, { type: 'user', id: ctx.auth.user.id })),
});
