import {
  acceptInviteInput,
  changePasswordInput,
  requestPasswordResetInput,
  resetPasswordInput,
  signInInput,
  signUpInput,
  updateProfileInput,
  verifyEmailInput,
} from '@handover/contracts';
import {
  acceptStaffInvite,
  changePassword,
  getProfile,
  requestPasswordReset,
  resetPassword,
  revokeSession,
  revokeUserSessions,
  SIGN_UP_SENT,
  signIn,
  signUp,
  updateProfile,
  verifyEmail,
} from '@handover/core';
import { accountContext, protectedProcedure, publicProcedure, router, sessionProcedure } from '../trpc';

export const authRouter = router({
  /** Emails the address a link that finishes the account; the same answer whether or not it has one. */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    await signUp(ctx.em, input, accountContext(ctx));
    return { message: SIGN_UP_SENT };
  }),

  /** The emailed link: the address is proved, the password chosen, and the browser signed in. */
  verifyEmail: publicProcedure.input(verifyEmailInput).mutation(async ({ ctx, input }) => {
    const session = await verifyEmail(ctx.em, input, accountContext(ctx));
    ctx.sessionCookie.set(session.token, session.expiresAt);
    return session.user;
  }),

  /** A staff invite's link: the invitee chooses a password and the browser is signed in with the invited role. */
  acceptInvite: publicProcedure.input(acceptInviteInput).mutation(async ({ ctx, input }) => {
    const session = await acceptStaffInvite(ctx.em, input, accountContext(ctx));
    ctx.sessionCookie.set(session.token, session.expiresAt);
    return session.user;
  }),

  signIn: publicProcedure.input(signInInput).mutation(async ({ ctx, input }) => {
    const session = await signIn(ctx.em, input, accountContext(ctx));
    ctx.sessionCookie.set(session.token, session.expiresAt);
    return session.user;
  }),

  /** Ends this browser's session; harmless when it has already ended. */
  signOut: sessionProcedure.meta({ sessionOnly: true }).mutation(async ({ ctx }) => {
    if (ctx.auth?.via === 'session') await revokeSession(ctx.em, ctx.auth.sessionId, ctx.clock);
    ctx.sessionCookie.clear();
  }),

  signOutEverywhere: protectedProcedure.meta({ sessionOnly: true }).mutation(async ({ ctx }) => {
    const ended = await revokeUserSessions(ctx.em, ctx.auth.user.id, ctx.clock);
    ctx.sessionCookie.clear();
    return { sessionsEnded: ended };
  }),

  /** Who is signed in, or whose token this is: any token may ask. */
  me: protectedProcedure.meta({ tokenScope: null }).query(({ ctx }) => ctx.auth.user),

  /** The whole profile (seed 004's company, customer number, address, date of birth), for the account page. */
  profile: protectedProcedure.query(({ ctx }) => getProfile(ctx.em, ctx.auth.user.id)),

  /** Answers the same whether or not the email has an account. */
  requestPasswordReset: publicProcedure.input(requestPasswordResetInput).mutation(async ({ ctx, input }) => {
    await requestPasswordReset(ctx.em, input, accountContext(ctx));
    return { message: 'If an account uses this email, a link to reset its password is on its way.' };
  }),

  resetPassword: publicProcedure.input(resetPasswordInput).mutation(async ({ ctx, input }) => {
    await resetPassword(ctx.em, input, accountContext(ctx));
    return { message: 'Your password is changed. Sign in with it now.' };
  }),

  updateProfile: protectedProcedure
    .meta({ sessionOnly: true })
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => updateProfile(ctx.em, ctx.auth.user.id, input)),

  changePassword: protectedProcedure
    .meta({ sessionOnly: true })
    .input(changePasswordInput)
    .mutation(async ({ ctx, input }) => {
      const sessionId = ctx.auth.via === 'session' ? ctx.auth.sessionId : '';
      await changePassword(ctx.em, { userId: ctx.auth.user.id, sessionId }, input, {
        settings: ctx.accounts,
        clock: ctx.clock,
      });
      return { message: 'Your password is changed. Other devices have been signed out.' };
    }),
});
