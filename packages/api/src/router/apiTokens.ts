import { createApiTokenInput } from '@handover/contracts';
import { createApiToken, listApiTokens, revokeApiToken } from '@handover/core';
import { z } from 'zod';
import { protectedProcedure, router } from '../trpc';

/** A person's own API tokens, from the portal's account page. Made and revoked only when signed in. */
export const apiTokensRouter = router({
  /** Who this call is from, and through which token: any token may ask (the CLI's `login` does). */
  whoami: protectedProcedure.meta({ tokenScope: null }).query(({ ctx }) => ({
    user: ctx.auth.user,
    via: ctx.auth.via,
    token: ctx.auth.via === 'token' ? { id: ctx.auth.tokenId, scopes: [...ctx.auth.scopes] } : null,
  })),

  mine: protectedProcedure
    .meta({ sessionOnly: true })
    .query(({ ctx }) => listApiTokens(ctx.em, { userId: ctx.auth.user.id, kind: 'personal' }, ctx.clock)),

  /** The token is in the answer, once; only its hash is kept. */
  create: protectedProcedure
    .meta({ sessionOnly: true })
    .input(createApiTokenInput)
    .mutation(({ ctx, input }) => createApiToken(ctx.em, ctx.auth.user, input, { kind: 'personal', clock: ctx.clock })),

  revoke: protectedProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.em, input.id, ctx.auth.user, ctx.clock)),
});
