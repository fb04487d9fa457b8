import { changeRoleInput, inviteStaffInput, USER_ROLES } from '@handover/contracts';
import {
  changeUserRole,
  getUser,
  inviteStaff,
  listStaffInvites,
  listUsers,
  revokeStaffInvite,
  setUserDisabled,
} from '@handover/core';
import { z } from 'zod';
import { accountContext, adminProcedure, router } from '../trpc';

export const usersRouter = router({
  list: adminProcedure
    .input(
      z.object({
        search: z.string().trim().max(200).optional(),
        role: z.enum(USER_ROLES).optional(),
        page: z.number().int().min(1).default(1),
        perPage: z.number().int().min(1).max(100).default(25),
      }),
    )
    .query(({ ctx, input }) =>
      listUsers(ctx.em, {
        search: input.search || undefined,
        role: input.role,
        limit: input.perPage,
        offset: (input.page - 1) * input.perPage,
      }),
    ),
  byId: adminProcedure.input(z.object({ id: z.uuid() })).query(({ ctx, input }) => getUser(ctx.em, input.id)),
  setRole: adminProcedure
    .input(changeRoleInput)
    .mutation(({ ctx, input }) => changeUserRole(ctx.em, ctx.auth.user.id, input)),
  /** Disabled: cannot sign in, and every session ends now. */
  setDisabled: adminProcedure
    .input(z.object({ userId: z.uuid(), disabled: z.boolean() }))
    .mutation(({ ctx, input }) => setUserDisabled(ctx.em, ctx.auth.user.id, input, ctx.clock)),
  /** Emails a single-use link that expires; who holds it chooses a password and joins with the role. */
  invite: adminProcedure
    .meta({ sessionOnly: true })
    .input(inviteStaffInput)
    .mutation(({ ctx, input }) => inviteStaff(ctx.em, ctx.auth.user.id, input, accountContext(ctx))),
  invites: adminProcedure.query(({ ctx }) => listStaffInvites(ctx.em, ctx.clock)),
  revokeInvite: adminProcedure
    .meta({ sessionOnly: true })
    .input(z.object({ id: z.uuid() }))
    .mutation(({ ctx, input }) => revokeStaffInvite(ctx.em, ctx.auth.user.id, input.id, ctx.clock)),
});
