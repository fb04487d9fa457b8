import { PAYMENT_GATEWAYS, walletTopUpInputSchema } from '@handover/contracts';
import { getWalletBalances, listWalletEntries, startWalletTopUp } from '@handover/core';
import { z } from 'zod';
import { moneyDeps, protectedProcedure, router } from '../trpc';

/** The signed-in customer's wallet (seed 002): balances, the ledger, and top-ups through a gateway. */
export const walletRouter = router({
  balance: protectedProcedure.query(({ ctx }) => getWalletBalances(ctx.em, ctx.auth.user.id)),
  ledger: protectedProcedure
    .input(
      z.object({
        page: z.number().int().min(1).default(1),
        perPage: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) =>
      listWalletEntries(ctx.em, ctx.auth.user.id, { limit: input.perPage, offset: (input.page - 1) * input.perPage }),
    ),
  /** The gateways this server can take a top-up through now (never the wallet itself). */
  topUpGateways: protectedProcedure.query(({ ctx }) =>
    PAYMENT_GATEWAYS.filter((gateway) => gateway !== 'wallet' && ctx.gateways[gateway] !== undefined),
  ),
  topUp: protectedProcedure
    .input(walletTopUpInputSchema)
    .mutation(({ ctx, input }) =>
      startWalletTopUp(moneyDeps(ctx), input, { userId: ctx.auth.user.id, email: ctx.auth.user.email }),
    ),
});
