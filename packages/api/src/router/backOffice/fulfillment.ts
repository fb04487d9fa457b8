import {
  cancelRecords,
  getEsimProfilesForStaff,
  getFulfillmentLog,
  getFulfillmentRecord,
  LIST_EXPORTS,
  listFulfillmentLogs,
  listFulfillmentRecords,
  rerunFromStep,
  retryRecords,
} from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { keysetInput, recordIds } from './inputs';

/** Fulfillment records and their logs: watching (all staff) and repairing (ops and admin). */
export const fulfillmentRouter = router({
  records: staffProcedure
    .input(LIST_EXPORTS['fulfillment-records'].filter.extend(keysetInput))
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listFulfillmentRecords(ctx.em, filter, { cursor, limit, order }),
    ),

  record: staffProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getFulfillmentRecord(ctx.em, input.id)),

  /** An eSIM delivery's profiles, reissues included (never their codes). */
  esimProfiles: staffProcedure
    .input(z.object({ recordId: z.uuid() }))
    .query(({ ctx, input }) => getEsimProfilesForStaff(ctx.em, input.recordId)),

  logs: staffProcedure
    .input(LIST_EXPORTS['fulfillment-logs'].filter.extend(keysetInput))
    .query(({ ctx, input: { cursor, limit, order, ...filter } }) =>
      listFulfillmentLogs(ctx.em, filter, { cursor, limit, order }),
    ),

  /** The API-response viewer's row: request and response, redacted. */
  log: staffProcedure
    .input(z.object({ id: z.number().int().positive() }))
    .query(({ ctx, input }) => getFulfillmentLog(ctx.em, input.id)),

  /** Failed records go back in the queue; one result per record. */
  retry: opsProcedure
    .input(z.object({ ids: recordIds }))
    .mutation(({ ctx, input }) =>
      retryRecords(ctx.em, input.ids, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now()),
    ),

  /** Stops records not yet delivered, undoing what was done; one result per record. */
  cancel: opsProcedure
    .input(z.object({ ids: recordIds, reason: z.string().trim().min(3, 'say why').max(500) }))
    .mutation(({ ctx, input }) =>
      cancelRecords(ctx.em, input.ids, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now(), input.reason),
    ),

  rerunFromStep: opsProcedure
    .input(z.object({ id: z.uuid(), step: z.string().trim().min(1).max(64) }))
    .mutation(async ({ ctx, input }) => {
      await rerunFromStep(ctx.em, input.id, input.step, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now());
      return getFulfillmentRecord(ctx.em, input.id);
    }),
});
