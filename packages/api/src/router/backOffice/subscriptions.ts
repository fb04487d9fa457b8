import { LIST_EXPORTS, listSubscriptionsForStaff } from '@handover/core';
import { router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf } from './inputs';

/** Seed 003: the back office lists subscriptions, by status and gateway, or by order, email or gateway id. */
export const subscriptionsRouter = router({
  list: staffProcedure
    .input(LIST_EXPORTS.subscriptions.filter.extend(offsetInput))
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listSubscriptionsForStaff(ctx.em, filter, offsetOf({ page, perPage }), ctx.gateways),
    ),
});
