import { findBillingAccount, listBillingAccounts, paymentMethodSummary, paymentMethodsLink } from '@handover/core';
import { TRPCError } from '@trpc/server';
import { z } from 'zod';
import { protectedProcedure, router, staffProcedure } from '../trpc';

const notConfigured = () =>
  new TRPCError({ code: 'PRECONDITION_FAILED', message: 'No billing system is set up on this server.' });

/**
 * Seed 004's billing as the customer sees it, from the billing system (WHMCS) through the
 * server: whether a payment method is on file, the link to add one, invoices and services.
 */
export const billingRouter = router({
  /**
   * Whether the portal's navigation offers "Billing": a billing system is set up here and this
   * customer is billed by it (their client exists: made at their first billed order or payment
   * method). Read from the mapping only, so it costs no call to the billing system.
   */
  navigation: protectedProcedure.query(async ({ ctx }) => {
    if (!ctx.billing) return { showBilling: false };
    return { showBilling: (await findBillingAccount(ctx.em, ctx.auth.user.id)) !== null };
  }),

  /** Checkout's gate: a payment method on file (seed 004 step 2). */
  paymentMethods: protectedProcedure.query(({ ctx }) => paymentMethodSummary(ctx.em, ctx.billing, ctx.auth.user.id)),

  /** A single-use link that signs the customer in to the billing system's payment-methods page. */
  addPaymentMethodLink: protectedProcedure.mutation(async ({ ctx }) => {
    const link = await paymentMethodsLink(ctx.em, ctx.billing, ctx.auth.user.id);
    if (!link) throw notConfigured();
    return link;
  }),

  /** Invoices, cached briefly; when the billing system is slow or down, a message instead of a wait. */
  invoices: protectedProcedure.query(({ ctx }) => {
    if (!ctx.billingView) throw notConfigured();
    return ctx.billingView.invoices(ctx.em, ctx.auth.user.id);
  }),

  /** Services (subscriptions), likewise. */
  services: protectedProcedure.query(({ ctx }) => {
    if (!ctx.billingView) throw notConfigured();
    return ctx.billingView.services(ctx.em, ctx.auth.user.id);
  }),

  /** Ops: the mapping portal user ↔ billing client ↔ operator-system account. */
  accounts: staffProcedure
    .input(z.object({ userId: z.uuid().optional() }).default({}))
    .query(({ ctx, input }) => listBillingAccounts(ctx.em, { userId: input.userId })),
});
