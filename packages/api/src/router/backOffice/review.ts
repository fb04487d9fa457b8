import { activationChoiceSchema } from '@handover/contracts';
import {
  approveOrderForProvisioning,
  listOrdersAwaitingReview,
  rejectOrder,
  requestPreflightNow,
  startActivation,
} from '@handover/core';
import { z } from 'zod';
import { moneyDeps, opsProcedure, router, staffProcedure } from '../../trpc';

const orderInput = z.object({ orderId: z.uuid() });

/**
 * Seed 004: review before provisioning, and the activation that follows. Watching is for all
 * staff; deciding and activating for ops and admins. Each calls the one core operation the
 * signed operator API calls too.
 */
export const reviewRouter = router({
  /** Orders awaiting review, oldest first, with their customer, items, options and history. */
  queue: staffProcedure.query(({ ctx }) => listOrdersAwaitingReview(ctx.em)),

  approve: opsProcedure
    .input(orderInput.extend({ activation: activationChoiceSchema.optional() }))
    .mutation(({ ctx, input }) =>
      approveOrderForProvisioning(
        ctx.em,
        input.orderId,
        { type: 'user', id: ctx.auth.user.id },
        {
          activation: input.activation,
          decidedBy: ctx.auth.user.email,
          now: ctx.clock.now(),
          portalUrl: ctx.checkout.portalUrl,
        },
      ),
    ),

  /** Rejected with a reason the customer reads; what was paid is refunded. */
  reject: opsProcedure
    .input(
      orderInput.extend({
        reason: z
          .string()
          .trim()
          .min(3, 'Say why, in words the customer reads')
          .max(500, 'Keep the reason under 500 characters'),
      }),
    )
    .mutation(({ ctx, input }) =>
      rejectOrder(
        moneyDeps(ctx),
        input.orderId,
        { type: 'user', id: ctx.auth.user.id },
        {
          reason: input.reason,
          decidedBy: ctx.auth.user.email,
          portalUrl: ctx.checkout.portalUrl,
        },
      ),
    ),

  /** Seed 004 5a's "Activate now": the execute path of a scheduled activation, at once. */
  activateNow: opsProcedure.input(orderInput).mutation(({ ctx, input }) =>
    startActivation(ctx.em, input.orderId, {
      by: 'operator',
      actor: { type: 'user', id: ctx.auth.user.id },
      now: ctx.clock.now(),
      portalUrl: ctx.checkout.portalUrl,
    }),
  ),

  /** The preflight's checks now, before their date. */
  checkNow: opsProcedure.input(orderInput).mutation(async ({ ctx, input }) => {
    await requestPreflightNow(ctx.em, input.orderId);
    return { queued: true };
  }),
});
