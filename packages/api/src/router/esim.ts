import { getCustomerEsims, listCustomerEsims, requestEsimReissue, revealEsim } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

const recordInput = z.object({ recordId: z.uuid() });

/** Seed 004's eSIMs as their customer follows them: never another customer's, codes only on request. */
export const esimRouter = router({
  /** The order's eSIMs: state, data, reissues, and the top-ups that fit. */
  forOrder: protectedProcedure
    .input(z.object({ orderId: z.uuid() }))
    .query(({ ctx, input }) => getCustomerEsims(ctx.em, ctx.auth.user.id, input.orderId)),

  /** The customer's eSIMs in use, for the top-up form. */
  mine: protectedProcedure.query(({ ctx }) => listCustomerEsims(ctx.em, ctx.auth.user.id)),

  /** The QR code and activation code, on request; each reveal is in the activity log. */
  reveal: protectedProcedure.input(recordInput).mutation(({ ctx, input }) =>
    revealEsim(ctx.em, ctx.secrets, {
      recordId: input.recordId,
      ownerId: ctx.auth.user.id,
      actor: { type: 'user', id: ctx.auth.user.id },
    }),
  ),

  /** A new profile, the old one disabled (its QR code stops working). */
  reissue: protectedProcedure.input(recordInput).mutation(({ ctx, input }) =>
    requestEsimReissue(ctx.em, ctx.registry, {
      recordId: input.recordId,
      userId: ctx.auth.user.id,
      now: ctx.clock.now(),
    }),
  ),
});
