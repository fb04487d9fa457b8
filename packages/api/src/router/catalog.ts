import { findExistingServices, listActiveProducts, manageServicePath } from '@handover/core';
import { protectedProcedure, publicProcedure, router } from '../trpc';

export const catalogRouter = router({
  /** Products on sale, each with the ways to pay it that this server can take (the wallet always). */
  list: publicProcedure.query(({ ctx }) =>
    listActiveProducts(ctx.em, ctx.registry, (gateway) => gateway === 'wallet' || ctx.gateways[gateway] !== undefined),
  ),
  /** Seed 004: the services the customer has, by kind: the catalog offers "Manage / Upgrade" for them. */
  myServices: protectedProcedure.query(async ({ ctx }) =>
    (await findExistingServices(ctx.em, ctx.auth.user.id)).map((service) => ({
      serviceKind: service.serviceKind,
      orderCode: service.orderCode,
      manageUrl: manageServicePath(service.orderCode),
    })),
  ),
});
