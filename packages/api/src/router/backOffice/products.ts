import { PAYMENT_GATEWAYS, productInputSchema } from '@handover/contracts';
import {
  checkDriverConfig,
  describeDrivers,
  getProductForStaff,
  importProducts,
  listProductsForStaff,
  previewCheckout,
  saveProduct,
  testDriverConnection,
  testGatewayConnection,
} from '@handover/core';
import { z } from 'zod';
import { adminProcedure, router, staffProcedure } from '../../trpc';
import { searchText } from './inputs';

/** Products: every staff role reads them; admins create, edit and test them. */
export const productsRouter = router({
  list: staffProcedure
    .input(z.object({ q: searchText, isActive: z.boolean().optional() }))
    .query(({ ctx, input }) => listProductsForStaff(ctx.em, ctx.registry, input)),

  byId: staffProcedure
    .input(z.object({ id: z.uuid() }))
    .query(({ ctx, input }) => getProductForStaff(ctx.em, ctx.registry, input.id)),

  /** The registered drivers with their delivery models and config fields (JSON Schema). */
  drivers: staffProcedure.query(({ ctx }) => describeDrivers(ctx.registry)),

  /** Field errors come back by name; the driver's config errors as `fulfillmentConfig.<field>`. */
  create: adminProcedure.input(productInputSchema).mutation(async ({ ctx, input }) => {
    const product = await saveProduct(ctx.em, ctx.registry, input, { type: 'user', id: ctx.auth.user.id });
    return getProductForStaff(ctx.em, ctx.registry, product.id);
  }),

  update: adminProcedure
    .input(productInputSchema.safeExtend({ id: z.uuid() }))
    .mutation(async ({ ctx, input: { id, ...data } }) => {
      await saveProduct(ctx.em, ctx.registry, data, { type: 'user', id: ctx.auth.user.id }, id);
      return getProductForStaff(ctx.em, ctx.registry, id);
    }),

  /** Creates or updates products by slug, all or nothing, each checked as the form is; a dry run writes nothing. */
  import: adminProcedure
    .input(
      z.object({
        products: z
          .array(z.unknown())
          .min(1, 'the file has no products')
          .max(500, 'import at most 500 products at once'),
        dryRun: z.boolean().default(false),
      }),
    )
    .mutation(({ ctx, input }) =>
      importProducts(
        ctx.em,
        ctx.registry,
        input.products,
        { type: 'user', id: ctx.auth.user.id },
        {
          dryRun: input.dryRun,
        },
      ),
    ),

  testConnection: adminProcedure
    .input(z.object({ driver: productInputSchema.shape.fulfillmentDriver, config: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) =>
      testDriverConnection(ctx.registry, input.driver, input.config, {
        em: ctx.em,
        services: { secrets: ctx.secrets },
      }),
    ),

  /** Seed 003 §7.3 live validation: the driver's config as typed, checked by its schema. */
  checkConfig: adminProcedure
    .input(z.object({ driver: productInputSchema.shape.fulfillmentDriver, config: z.record(z.string(), z.unknown()) }))
    .query(({ ctx, input }) => checkDriverConfig(ctx.registry, input.driver, input.config)),

  /** Seed 003 §7.3 "Preview checkout options": what a customer would see for the product as typed. */
  previewCheckout: adminProcedure
    .input(productInputSchema)
    .query(({ ctx, input }) => previewCheckout(ctx.registry, input, ctx.gateways)),

  /** Seed 003 §7.3 "Test Payment Gateway Connection": an authenticated no-op call to one gateway. */
  testGateway: adminProcedure
    .input(z.object({ gateway: z.enum(PAYMENT_GATEWAYS) }))
    .mutation(({ ctx, input }) => testGatewayConnection(ctx.gateways, input.gateway)),
});
