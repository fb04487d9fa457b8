import {
  createDownloadLink,
  customerProductKinds,
  deactivateCustomerActivation,
  listCustomerProducts,
  revealInstancePassword,
  revealLicenseKey,
  TransientError,
} from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

/**
 * Seed 003 §7.1: what the signed-in customer owns of the marketplace's kinds (workspaces,
 * installations, licences, downloads), and the actions each offers. Another customer's item is
 * answered as a missing one.
 */
export const productsRouter = router({
  /** How many of each kind: the portal shows the Products page, and each tab, only when there is one. */
  kinds: protectedProcedure.query(({ ctx }) => customerProductKinds(ctx.em, ctx.auth.user.id)),

  mine: protectedProcedure.query(({ ctx }) => listCustomerProducts(ctx.em, ctx.auth.user.id)),

  /** The whole licence key, on request; logged. */
  revealLicenseKey: protectedProcedure
    .input(z.object({ licenseId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      revealLicenseKey(ctx.em, ctx.secrets, { userId: ctx.auth.user.id, licenseId: input.licenseId }),
    ),

  /** A dedicated instance's first admin login, on request; logged. */
  revealInstancePassword: protectedProcedure
    .input(z.object({ recordId: z.uuid() }))
    .mutation(({ ctx, input }) =>
      revealInstancePassword(ctx.em, ctx.secrets, { userId: ctx.auth.user.id, recordId: input.recordId }),
    ),

  /** Frees one of the licence's machines. */
  deactivateActivation: protectedProcedure.input(z.object({ activationId: z.uuid() })).mutation(({ ctx, input }) =>
    deactivateCustomerActivation(ctx.em, {
      userId: ctx.auth.user.id,
      activationId: input.activationId,
      now: ctx.clock.now(),
    }),
  ),

  /** An expiring signed link to one file (seed 003), which the server serves and logs. */
  downloadLink: protectedProcedure
    .input(z.object({ entitlementId: z.uuid(), fileKey: z.string().min(1).max(250) }))
    .mutation(({ ctx, input }) => {
      if (!ctx.downloadLinks)
        throw new TransientError('Downloads are not set up here; please contact us.', 'not_configured');
      return createDownloadLink(ctx.em, ctx.downloadLinks, {
        userId: ctx.auth.user.id,
        entitlementId: input.entitlementId,
        fileKey: input.fileKey,
        now: ctx.clock.now(),
      });
    }),
});
