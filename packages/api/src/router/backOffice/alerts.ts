import { ALERT_SEVERITIES } from '@handover/contracts';
import {
  ALERT_STATE_FILTERS,
  acknowledgeAlert,
  getAlertWithHistory,
  listAlerts,
  listAlertTypes,
  toAlertRow,
} from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf } from './inputs';

export const alertsRouter = router({
  list: staffProcedure
    .input(
      z.object({
        ...offsetInput,
        type: z.string().trim().min(1).max(64).optional(),
        severity: z.enum(ALERT_SEVERITIES).optional(),
        open: z.boolean().optional(),
        state: z.enum(ALERT_STATE_FILTERS).optional(),
      }),
    )
    .query(({ ctx, input: { page, perPage, ...filter } }) => listAlerts(ctx.em, filter, offsetOf({ page, perPage }))),

  /** One alert with its history: raised, seen again, told to ops, acknowledged, resolved. */
  byId: staffProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getAlertWithHistory(ctx.em, input.id)),

  types: staffProcedure.query(({ ctx }) => listAlertTypes(ctx.em)),

  acknowledge: opsProcedure
    .input(z.object({ id: z.uuid() }))
    .mutation(async ({ ctx, input }) =>
      toAlertRow(await acknowledgeAlert(ctx.em, input.id, ctx.auth.user.id, ctx.clock.now())),
    ),
});
