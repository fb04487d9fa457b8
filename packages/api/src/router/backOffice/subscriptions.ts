import { PAYMENT_GATEWAYS, SUBSCRIPTION_STATUSES } from '@handover/contracts';
import { listSubscriptionsForStaff } from '@handover/core';
import { z } from 'zod';
import { router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf, searchText } from './inputs';

/** Seed 003: the back office lists subscriptions, by status and gateway, or by order, email or gateway id. */
export const subscriptionsRouter = router({
  list: staffProcedure
    .input(
      z.object({
        ...offsetInput,
        status: z.enum(SUBSCRIPTION_STATUSES).optional(),
        gateway: z.enum(PAYMENT_GATEWAYS).optional(),
        q: searchText,
      }),
    )
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listSubscriptionsForStaff(ctx.em, filter, offsetOf({ page, perPage }), ctx.gateways),
    ),
});
