import { FULFILLMENT_STATUSES } from '@handover/contracts';
import { DATA_NETWORK_IDS } from '@handover/contracts/drivers/data-bundle';
import { listDataOrders, readResellerFloats, resumeHeldBundles } from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { dateRange, keysetInput } from './inputs';

/**
 * Seed 002 phase 6: data orders with their network, phone, size, status and attempts, filtered;
 * each reseller's float; and resuming the bundles held for a float ops have topped up. Bulk retry,
 * the API calls and the report download are the fulfillment ones, narrowed to data orders.
 */
export const dataBundlesRouter = router({
  orders: staffProcedure
    .input(
      z.object({
        ...keysetInput,
        network: z.enum(DATA_NETWORK_IDS).optional(),
        status: z.enum(FULFILLMENT_STATUSES).optional(),
        phone: z.string().trim().max(32).optional(),
        ...dateRange,
      }),
    )
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listDataOrders(ctx.em, filter, { cursor, limit, order }),
    ),

  floats: staffProcedure.query(({ ctx }) => readResellerFloats(ctx.em, ctx.bundleResellers ?? [])),

  resumeHeld: opsProcedure.input(z.object({ network: z.enum(DATA_NETWORK_IDS) })).mutation(async ({ ctx, input }) => ({
    resumed: await resumeHeldBundles(ctx.em, input.network, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now()),
  })),
});
