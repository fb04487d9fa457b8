import { resubmitPrivateSmtpSchema, savePlatformCredentialsSchema } from '@handover/contracts/drivers/private-smtp';
import {
  getMailboxOrderView,
  requestTransferCheck,
  resubmitPrivateSmtpOrder,
  revealMailboxPassword,
  savePlatformCredentials,
} from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router, sessionProcedure } from '../trpc';

const orderInput = z.object({ orderId: z.uuid() });

/** Private SMTP mailboxes (seed 001) as their customer orders and follows them. */
export const mailboxesRouter = router({
  /**
   * The registrar credentials of an order form, saved encrypted on their own before checkout;
   * the order line keeps the returned id, and only a hint is ever shown back.
   */
  saveCredentials: sessionProcedure
    .input(savePlatformCredentialsSchema)
    .mutation(({ ctx, input }) => savePlatformCredentials(ctx.em, ctx.secrets, input)),

  /** Per domain: its transfer and the nameservers to expect, then its mailboxes' logins. */
  forOrder: protectedProcedure
    .input(orderInput)
    .query(({ ctx, input }) => getMailboxOrderView(ctx.em, ctx.auth.user.id, input.orderId)),

  /** A mailbox's password, on request; every reveal is in the activity log. */
  revealPassword: protectedProcedure.input(z.object({ mailboxId: z.uuid() })).mutation(({ ctx, input }) =>
    revealMailboxPassword(ctx.em, ctx.secrets, {
      mailboxId: input.mailboxId,
      actor: { type: 'user', id: ctx.auth.user.id },
      ownerId: ctx.auth.user.id,
    }),
  ),

  /** A draft order goes on after the customer fixed their registrar, with new credentials or domains if given. */
  resubmit: protectedProcedure.input(resubmitPrivateSmtpSchema).mutation(({ ctx, input }) =>
    resubmitPrivateSmtpOrder(ctx.em, ctx.secrets, {
      ...input,
      userId: ctx.auth.user.id,
      now: ctx.clock.now(),
      portalUrl: ctx.checkout.portalUrl,
    }),
  ),

  /** "Check now": the order's domains waiting to turn active are looked at at once. */
  checkTransfers: protectedProcedure
    .input(orderInput)
    .mutation(({ ctx, input }) => requestTransferCheck(ctx.em, ctx.auth.user.id, input.orderId)),
});
