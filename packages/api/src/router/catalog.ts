import { findExistingServices, listActiveProducts, manageServicePath } from '@handover/core';
import { type Context, protectedProcedure, publicProcedure, router } from '../trpc';

const onSale = (ctx: Context) =>
  listActiveProducts(ctx.em, ctx.registry, (gateway) => gateway === 'wallet' || ctx.gateways[gateway] !== undefined);

export const catalogRouter = router({
  /** Products on sale, each with the ways to pay it that this server can take (the wallet always). */
  list: publicProcedure.query(({ ctx }) => onSale(ctx)),
  /**
   * Seed 004's `/catalog/personalized`: the signed-in customer's catalog, narrowed to the products
   * their operator-system account is eligible for. Without an operator system, or while it does
   * not answer, the public catalog (with a note saying eligibility could not be checked).
   */
  personalized: protectedProcedure.query(async ({ ctx }) => {
    const products = await onSale(ctx);
    if (!ctx.catalogView) return { products, personalized: false, note: null };
    return ctx.catalogView.personalize(ctx.em, ctx.auth.user.id, products);
  }),
  /** Seed 004: the services the customer has, by kind: the catalog offers "Manage / Upgrade" for them. */
  myServices: protectedProcedure.query(async ({ ctx }) =>
    (await findExistingServices(ctx.em, ctx.auth.user.id)).map((service) => ({
      serviceKind: service.serviceKind,
      orderCode: service.orderCode,
      manageUrl: manageServicePath(service.orderCode),
    })),
  ),
});
