import { ORDER_FULFILLMENT_STATUSES, ORDER_STATUSES } from '@handover/contracts';
import { getCustomerOrder, listCustomerOrders, listOrders, requestCustomerDnsCheck } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';
import { dateRange, keysetInput } from './backOffice/inputs';

/** The signed-in customer's own orders; the id of someone else's is answered as not found. */
export const ordersRouter = router({
  mine: protectedProcedure.query(({ ctx }) => listCustomerOrders(ctx.em, ctx.auth.user.id, ctx.registry)),
  /** The customer's orders a keyset page at a time (the SDK's `orders.iterate`), newest first. */
  list: protectedProcedure
    .input(
      z.object({
        ...keysetInput,
        status: z.enum(ORDER_STATUSES).optional(),
        fulfillmentStatus: z.enum(ORDER_FULFILLMENT_STATUSES).optional(),
        ...dateRange,
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listOrders(ctx.em, { ...filter, userId: ctx.auth.user.id }, { cursor, limit, order }),
    ),
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
