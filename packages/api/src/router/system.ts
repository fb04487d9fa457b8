import { checkHealth } from '@handover/core';
import { publicProcedure, router } from '../trpc';

export const systemRouter = router({
  health: publicProcedure.query(({ ctx }) => checkHealth(ctx.em, ctx.clock)),
  /** Where customers reach people (SUPPORT_EMAIL), for the portal's footer; null when none is set. */
  support: publicProcedure.query(({ ctx }) => ({ email: ctx.accounts.supportEmail })),
});
