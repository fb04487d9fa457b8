import { bundlePurchaseSchema, openShopSchema, smsPreferenceSchema } from '@handover/contracts/drivers/data-bundle';
import {
  buyDataBundle,
  getOwnTextPreference,
  getShop,
  listBundlePackages,
  listShopCustomers,
  openShop,
  setCustomerTextPreference,
} from '@handover/core';
import { moneyDeps, protectedProcedure, publicProcedure, router } from '../trpc';

/** Seed 002 for customers: the packages page, buying a bundle, a reseller's customers, texts. */
export const dataBundlesRouter = router({
  /** Packages on sale, grouped by network, each with the ways to pay this server can take now. */
  packages: publicProcedure.query(({ ctx }) =>
    listBundlePackages(ctx.em, ctx.registry, (gateway) => gateway === 'wallet' || ctx.gateways[gateway] !== undefined),
  ),

  /** Buys one package for a number: from the wallet at once, or through a gateway the package takes. */
  buy: protectedProcedure.input(bundlePurchaseSchema).mutation(({ ctx, input }) =>
    buyDataBundle(moneyDeps(ctx), input, {
      userId: ctx.auth.user.id,
      email: ctx.auth.user.email,
      phone: ctx.auth.user.phone,
    }),
  ),

  /** The account's shop and the numbers it bought bundles for, with totals. */
  shop: protectedProcedure.query(async ({ ctx }) => ({
    shop: await getShop(ctx.em, ctx.auth.user.id),
    customers: await listShopCustomers(ctx.em, ctx.auth.user.id),
  })),

  openShop: protectedProcedure
    .input(openShopSchema)
    .mutation(({ ctx, input }) => openShop(ctx.em, ctx.auth.user.id, input.name)),

  /** Whether the account's own phone gets texts. */
  texts: protectedProcedure.query(({ ctx }) => getOwnTextPreference(ctx.em, ctx.auth.user.id)),

  setTexts: protectedProcedure
    .input(smsPreferenceSchema)
    .mutation(({ ctx, input }) => setCustomerTextPreference(ctx.em, ctx.auth.user.id, input)),
});
