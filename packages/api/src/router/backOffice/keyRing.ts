import { createSigningKey, listKeyRing, putKeyRingSecret } from '@handover/core';
import { z } from 'zod';
import { adminProcedure, router, staffProcedure } from '../../trpc';

const ref = z
  .string()
  .trim()
  .regex(
    /^[a-z0-9][a-z0-9._/-]{0,119}$/,
    'lower-case letters, digits, dots, dashes and slashes, such as point-of-sale/hmac',
  );
const description = z.string().trim().max(300).optional();

/**
 * The key ring (seed 003 `credentials_ref`): staff see what is stored and public keys; admins add
 * a provider's shared secret (typed, or made here and shown once) or a licence signing key.
 */
export const keyRingRouter = router({
  list: staffProcedure.query(({ ctx }) => listKeyRing(ctx.em)),

  putSecret: adminProcedure
    .input(
      z.object({
        ref,
        value: z.string().min(32, 'use at least 32 characters').max(500).optional(),
        description,
      }),
    )
    .mutation(({ ctx, input }) => putKeyRingSecret(ctx.em, ctx.secrets, input, { type: 'user', id: ctx.auth.user.id })),

  createSigningKey: adminProcedure
    .input(z.object({ ref, description }))
    .mutation(({ ctx, input }) => createSigningKey(ctx.em, ctx.secrets, input, { type: 'user', id: ctx.auth.user.id })),
});
