import {
  getInventoryPool,
  importInventoryCsv,
  LIST_EXPORTS,
  listInventoryItems,
  listInventoryPools,
  markInventoryDepleted,
  releaseInventoryItem,
  revealInventorySecret,
  setLowStockThreshold,
} from '@handover/core';
import { z } from 'zod';
import { adminProcedure, opsProcedure, router, staffProcedure } from '../../trpc';
import { offsetInput, offsetOf } from './inputs';

/** What fits in one back office request; bigger files go through `pnpm inventory:import`. */
const MAX_CSV_CHARS = 200_000;

const csvImport = z.object({
  poolSlug: z.string().trim().min(1).max(120),
  csv: z
    .string()
    .min(1, 'the file is empty')
    .max(MAX_CSV_CHARS, 'files over 200 KB are imported with `pnpm inventory:import`'),
});

/**
 * Inventory pools and their accounts. Counts are for all staff; the accounts are for ops and
 * admin, never with their passwords; a password is revealed only to an admin, and logged.
 */
export const inventoryRouter = router({
  pools: staffProcedure.query(({ ctx }) => listInventoryPools(ctx.em)),

  pool: staffProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getInventoryPool(ctx.em, input.id)),

  setThreshold: opsProcedure
    .input(z.object({ id: z.uuid(), lowStockThreshold: z.number().int().min(0).max(100_000) }))
    .mutation(({ ctx, input }) =>
      setLowStockThreshold(ctx.em, input.id, input.lowStockThreshold, { type: 'user', id: ctx.auth.user.id }),
    ),

  items: opsProcedure
    .input(LIST_EXPORTS['inventory-items'].filter.extend(offsetInput))
    .query(({ ctx, input: { page, perPage, ...filter } }) =>
      listInventoryItems(ctx.em, filter, offsetOf({ page, perPage })),
    ),

  /** Checks a CSV and reports what an import would do, writing nothing. */
  previewImport: opsProcedure
    .input(csvImport)
    .mutation(({ ctx, input }) =>
      importInventoryCsv(ctx.em, input.csv, { poolSlug: input.poolSlug, box: ctx.secrets, preview: true }),
    ),

  /** Imports a CSV, all or nothing; the report has every refused row and skipped duplicate. */
  import: opsProcedure.input(csvImport).mutation(({ ctx, input }) =>
    importInventoryCsv(ctx.em, input.csv, {
      poolSlug: input.poolSlug,
      box: ctx.secrets,
      actor: { type: 'user', id: ctx.auth.user.id },
    }),
  ),

  release: opsProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await releaseInventoryItem(ctx.em, input.id, { type: 'user', id: ctx.auth.user.id }, ctx.clock.now());
    return { id: input.id };
  }),

  markDepleted: opsProcedure.input(z.object({ id: z.uuid() })).mutation(async ({ ctx, input }) => {
    await markInventoryDepleted(ctx.em, input.id, { type: 'user', id: ctx.auth.user.id });
    return { id: input.id };
  }),

  /** An inventory account's password, for an admin finishing a delivery by hand; each reveal is logged. */
  revealSecret: adminProcedure
    .input(z.object({ itemId: z.uuid() }))
    .mutation(({ ctx, input }) => revealInventorySecret(ctx.em, ctx.secrets, input.itemId, ctx.auth.user.id)),
});
