import { listNotifications, markNotificationsRead } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

export const notificationsRouter = router({
  list: protectedProcedure
    .input(z.object({ before: z.date().optional() }).default({}))
    .query(({ ctx, input }) => listNotifications(ctx.em, ctx.auth.user.id, { before: input.before })),
  markRead: protectedProcedure
    .input(z.object({ ids: z.union([z.array(z.uuid()).min(1).max(200), z.literal('all')]) }))
    .mutation(async ({ ctx, input }) => ({
      marked: await markNotificationsRead(ctx.em, ctx.auth.user.id, input.ids, ctx.clock.now()),
    })),
});
