import type { UserRole } from '@handover/contracts';
import type {
  AccountContext,
  AccountSettings,
  BundleResellerAccount,
  CheckoutDeps,
  CheckoutSettings,
  Clock,
  DownloadLinkSettings,
  DriverRegistry,
  PaymentDeps,
  PaymentGateways,
  PaymentLogger,
  RequestOrigin,
  SecretBox,
  SessionUser,
} from '@handover/core';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  resolveSession,
  TransientError,
  ValidationError,
} from '@handover/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';

/** Sets and clears the session cookie on the response; the server decides its attributes. */
export interface SessionCookie {
  set(token: string, expiresAt: Date): void;
  clear(): void;
}

/** What every procedure receives: a request-scoped entity manager and the injected services. */
export interface Context {
  em: EntityManager;
  clock: Clock;
  /** The fulfillment drivers, for checking products and order forms. */
  registry: DriverRegistry;
  accounts: AccountSettings;
  secrets: SecretBox;
  /** The session cookie's token, when the request carried one (not yet checked). */
  sessionToken: string | null;
  sessionCookie: SessionCookie;
  origin: RequestOrigin;
  /** The payment gateways this server holds credentials for. */
  gateways: PaymentGateways;
  /** Where checkout sends the customer back to, and how long an unpaid checkout stays open. */
  checkout: CheckoutSettings;
  /** The structured payment log (gateway, event_id, order_id, payment_id on every line). */
  paymentLogger: PaymentLogger;
  /** The business's IANA time zone, the reports' default (UTC when not given). */
  businessTimeZone?: string;
  /** The data-bundle resellers' accounts (seed 002): their float, shown to ops. */
  bundleResellers?: readonly BundleResellerAccount[];
  /** How download links are signed (seed 003); null when the server has no link secret. */
  downloadLinks?: DownloadLinkSettings | null;
}

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const fieldErrors =
      cause instanceof ZodError
        ? z.flattenError(cause).fieldErrors
        : cause instanceof ValidationError
          ? cause.fieldErrors
          : null;
    return { ...shape, data: { ...shape.data, fieldErrors } };
  },
});

/** Domain errors from core become TRPC errors with the same, person-readable message. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  const code =
    cause instanceof NotFoundError
      ? 'NOT_FOUND'
      : cause instanceof ConflictError
        ? 'CONFLICT'
        : cause instanceof ForbiddenError
          ? 'FORBIDDEN'
          : cause instanceof ValidationError
            ? 'BAD_REQUEST'
            : cause instanceof AuthenticationError
              ? 'UNAUTHORIZED'
              : cause instanceof RateLimitedError
                ? 'TOO_MANY_REQUESTS'
                : cause instanceof TransientError
                  ? 'SERVICE_UNAVAILABLE'
                  : null;
  if (!code || !cause) return result;
  return { ...result, error: new TRPCError({ code, message: cause.message, cause }) };
});

/** Looks up the session behind the cookie; a cookie for an ended session is cleared. */
const withSession = t.middleware(async ({ ctx, next }) => {
  const found = ctx.sessionToken
    ? await resolveSession(ctx.em, ctx.sessionToken, ctx.accounts.sessionTtlMs, ctx.clock)
    : null;
  if (ctx.sessionToken && !found) ctx.sessionCookie.clear();
  return next({ ctx: { auth: found ? { user: found.user, sessionId: found.sessionId } : null } });
});

const requireSignedIn = t.middleware(({ ctx, next }) => {
  const auth = (ctx as { auth?: { user: SessionUser; sessionId: string } | null }).auth;
  if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { auth } });
});

/** What account services need from a request. */
export function accountContext(ctx: Context): AccountContext {
  return { settings: ctx.accounts, clock: ctx.clock, origin: ctx.origin };
}

/** What checkout, wallet top-ups, refunds and test orders need from a request. */
export function moneyDeps(ctx: Context): CheckoutDeps & PaymentDeps {
  return {
    em: ctx.em,
    registry: ctx.registry,
    gateways: ctx.gateways,
    clock: ctx.clock,
    settings: ctx.checkout,
    logger: ctx.paymentLogger,
  };
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// The procedure kinds: the one place where who may call what is decided.

/** Anyone may call. */
export const publicProcedure = t.procedure.use(domainErrors);

/** Anyone may call; `ctx.auth` says who, when someone is signed in. */
export const sessionProcedure = publicProcedure.use(withSession);

/** Signed-in users of any role. */
export const protectedProcedure = sessionProcedure.use(requireSignedIn);

/** Signed-in users with one of `roles`. */
export function roleProcedure(...roles: [UserRole, ...UserRole[]]) {
  return protectedProcedure.use(({ ctx, next }) => {
    if (!roles.includes(ctx.auth.user.role)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role.` });
    }
    return next();
  });
}

/** The back office: ops, finance and admin. */
export const staffProcedure = roleProcedure('ops', 'finance', 'admin');

/** Operations work that may touch delivered secrets (inventory credentials): ops and admin, never finance. */
export const opsProcedure = roleProcedure('ops', 'admin');

/** Money reports and their downloads: finance and admin. */
export const financeProcedure = roleProcedure('finance', 'admin');

/** Products, users and roles. */
export const adminProcedure = roleProcedure('admin');
