import { getCustomerOrder, listCustomerOrders, requestCustomerDnsCheck } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

/** The signed-in customer's own orders; the id of someone else's is answered as not found. */
export const ordersRouter = router({
  mine: protectedProcedure.query(({ ctx }) => listCustomerOrders(ctx.em, ctx.auth.user.id, ctx.registry)),
  byId: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getCustomerOrder(ctx.em, ctx.auth.user.id, { id: input.id }, ctx.registry)),
  byCode: protectedProcedure
    .input(
      z.object({
        orderCode: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^HO-[0-9A-Z]{8}$/, 'not an order code'),
      }),
    )
    .query(({ ctx, input }) =>
      getCustomerOrder(ctx.em, ctx.auth.user.id, { orderCode: input.orderCode }, ctx.registry),
    ),
  /** "Check now": looks up the order's domains still waiting for their nameservers, at once. */
  checkDns: protectedProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => requestCustomerDnsCheck(ctx.em, ctx.auth.user.id, input.id)),
});
