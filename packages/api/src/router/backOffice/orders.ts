import { ORDER_FULFILLMENT_STATUSES, ORDER_STATUSES } from '@handover/contracts';
import { getOrderForStaff, listOrders } from '@handover/core';
import { z } from 'zod';
import { router, staffProcedure } from '../../trpc';
import { dateRange, keysetInput, searchText } from './inputs';

export const ordersRouter = router({
  list: staffProcedure
    .input(
      z.object({
        ...keysetInput,
        q: searchText,
        status: z.enum(ORDER_STATUSES).optional(),
        fulfillmentStatus: z.enum(ORDER_FULFILLMENT_STATUSES).optional(),
        ...dateRange,
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listOrders(ctx.em, filter, { cursor, limit, order }),
    ),
  byId: staffProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getOrderForStaff(ctx.em, input.id)),
});
