import { listPendingCompensations, resolveCompensation, retryCompensationNow } from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf } from './inputs';

/**
 * Quarantine: the undos that did not finish, with the inventory each holds back from customers,
 * and ops' decisions on them (docs/runbook.md, rollback_failure).
 */
export const quarantineRouter = router({
  list: staffProcedure
    .input(z.object({ ...offsetInput, status: z.enum(['pending', 'done', 'abandoned', 'resolved']).optional() }))
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listPendingCompensations(ctx.em, filter, offsetOf({ page, perPage })),
    ),

  /** Try the undo again now; an abandoned one gets a fresh round of attempts. */
  retryNow: opsProcedure
    .input(z.object({ recordId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      retryCompensationNow(ctx.em, input.recordId, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now()),
    ),

  /** Ops undid it at the vendor by hand (return the items to their pool) or give the items up (write off). */
  resolve: opsProcedure
    .input(
      z.object({
        recordId: z.uuid(),
        decision: z.enum(['return_to_pool', 'write_off']),
        note: z.string().trim().min(3, 'say what was done at the vendor').max(500),
      }),
    )
    .mutation(({ ctx, input }) =>
      resolveCompensation(
        ctx.em,
        input.recordId,
        { decision: input.decision, note: input.note },
        { type: 'user', id: ctx.auth.user.id },
        ctx.clock.now(),
      ),
    ),
});
