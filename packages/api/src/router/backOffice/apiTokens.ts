import { API_TOKEN_KINDS, createApiTokenInput } from '@handover/contracts';
import { createApiToken, listApiTokens, revokeApiToken } from '@handover/core';
import { z } from 'zod';
import { adminProcedure, router } from '../../trpc';

/** Every API token, for admins: service tokens for systems, and anyone's token revoked at once. */
export const apiTokensRouter = router({
  list: adminProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ kind: z.enum(API_TOKEN_KINDS).optional(), userId: z.uuid().optional() }))
    .query(({ ctx, input }) => listApiTokens(ctx.em, input, ctx.clock)),

  /** A token for a system, carrying the admin's authority within its scopes; shown once. */
  createService: adminProcedure
    .meta({ sessionOnly: true })
    .input(createApiTokenInput)
    .mutation(({ ctx, input }) => createApiToken(ctx.em, ctx.auth.user, input, { kind: 'service', clock: ctx.clock })),

  revoke: adminProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeApiToken(ctx.em, input.id, ctx.auth.user, ctx.clock)),
});
