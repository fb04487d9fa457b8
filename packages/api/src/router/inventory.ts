import { revealInventorySecret } from '@handover/core';
import { z } from 'zod';
import { opsProcedure, router } from '../trpc';

export const inventoryRouter = router({
  /** An inventory account's password, for an operator finishing a delivery by hand; each reveal is logged. */
  revealSecret: opsProcedure
    .input(z.object({ itemId: z.uuid() }))
    .mutation(({ ctx, input }) => revealInventorySecret(ctx.em, ctx.secrets, input.itemId, ctx.auth.user.id)),
});
