import { getCustomerForStaff, LIST_EXPORTS, listCustomers } from '@handover/core';
import { z } from 'zod';
import { router, staffProcedure } from '../../trpc';
import { keysetInput } from './inputs';

/** Customers' pages: who they are, what they ordered and paid, their wallet, subscriptions and notes. */
export const customersRouter = router({
  list: staffProcedure
    .input(LIST_EXPORTS.customers.filter.extend(keysetInput))
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listCustomers(ctx.em, filter, { cursor, limit, order }),
    ),
  byId: staffProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getCustomerForStaff(ctx.em, input.id, ctx.gateways)),
});
