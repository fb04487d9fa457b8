import { type ApiTokenScope, scopeGrants, type UserRole } from '@handover/contracts';
import type {
  AccountContext,
  AccountSettings,
  BillingSystem,
  BillingView,
  BundleResellerAccount,
  CheckoutDeps,
  CheckoutSettings,
  Clock,
  DownloadLinkSettings,
  DriverRegistry,
  PaymentDeps,
  PaymentGateways,
  PaymentLogger,
  PersonalizedCatalogView,
  RateLimiter,
  RequestOrigin,
  SecretBox,
  SessionUser,
  WebhookTargetGuard,
} from '@handover/core';
import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  findUnsafeText,
  NotFoundError,
  RateLimitedError,
  resolveApiToken,
  resolveSession,
  TransientError,
  unsafeTextMessage,
  ValidationError,
} from '@handover/core';
import { isConnectionError } from '@handover/db';
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
  /** This request's id: in every error answer and on every log line of the request. */
  requestId: string;
  em: EntityManager;
  clock: Clock;
  /** The fulfillment drivers, for checking products and order forms. */
  registry: DriverRegistry;
  accounts: AccountSettings;
  secrets: SecretBox;
  /** The session cookie's token, when the request carried one (not yet checked). */
  sessionToken: string | null;
  /** The `Authorization: Bearer` API token, when the request carried one (not yet checked); it wins over a cookie. */
  bearerToken?: string | null;
  /** Each API token's budget of calls, shared by every server process; none: unlimited. */
  tokenRateLimiter?: RateLimiter | null;
  /** Adds who called to the request's log line, as the server logs it. */
  logCaller?: (caller: { userId: string; tokenId?: string }) => void;
  /** Where outbound webhooks may point (checked when an endpoint is saved). */
  webhookGuard?: WebhookTargetGuard;
  /** One request's caller, looked up once for every call of a batch. */
  callerCache?: { caller?: Promise<Auth | null> };
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
  /** Seed 004: the billing system (WHMCS) when this server has one, and its cached views for the portal. */
  billing?: BillingSystem | null;
  billingView?: BillingView | null;
  /** Seed 004: the catalog narrowed by the operator system's account eligibility, when this server has one. */
  catalogView?: PersonalizedCatalogView | null;
}

/** Who is calling: a browser session, or an API token with its scopes. */
export type Auth =
  | { via: 'session'; user: SessionUser; sessionId: string }
  | { via: 'token'; user: SessionUser; tokenId: string; scopes: readonly ApiTokenScope[] };

/** What a procedure may say about API tokens, beyond what its kind says. */
export interface ProcedureMeta {
  /** The scope a token needs for this procedure instead of its kind's; null: any token may call it. */
  tokenScope?: ApiTokenScope | null;
  /** Only a signed-in person, never a token (a password, tokens, webhooks' secrets, money going out). */
  sessionOnly?: boolean;
}

const DOMAIN_ERRORS = [
  NotFoundError,
  ConflictError,
  ForbiddenError,
  ValidationError,
  AuthenticationError,
  RateLimitedError,
];

/** Said instead of a message that was not written for the caller (a database's, a library's, a vendor's). */
const GENERIC_MESSAGES: Partial<Record<TRPCError['code'], string>> = {
  PARSE_ERROR: 'The request could not be read: send JSON as the API expects it.',
  BAD_REQUEST: 'The request is not one this API accepts.',
  SERVICE_UNAVAILABLE: 'This is unavailable for a moment. Try again shortly.',
};

/**
 * The message a caller may see: ours (a domain error's, a field error's, a TRPCError thrown
 * without a foreign cause), else a generic one. A 500 never carries the error's own text; its
 * details go to the log under the request id the answer gives.
 */
function clientMessage(error: TRPCError, requestId: string | undefined): string {
  const cause = error.cause;
  const ours =
    error.code !== 'INTERNAL_SERVER_ERROR' &&
    (cause === undefined || cause instanceof ZodError || DOMAIN_ERRORS.some((kind) => cause instanceof kind));
  if (ours) return error.message;
  if (error.code === 'INTERNAL_SERVER_ERROR' || !GENERIC_MESSAGES[error.code]) {
    return `Something went wrong on our side. If it goes on, tell us this reference: ${requestId ?? 'none'}.`;
  }
  return GENERIC_MESSAGES[error.code] ?? error.message;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    // Stacks stay in the log, in development too: answers are the same in every mode.
    isDev: false,
    errorFormatter({ shape, error, ctx }) {
      const cause = error.cause;
      const fieldErrors =
        cause instanceof ZodError
          ? z.flattenError(cause).fieldErrors
          : cause instanceof ValidationError
            ? cause.fieldErrors
            : null;
      // Where the person can go about a conflict (seed 004: the service they already have).
      const links = cause instanceof ConflictError && Object.keys(cause.links).length > 0 ? cause.links : null;
      const requestId = ctx?.requestId;
      const { stack: _stack, ...data } = shape.data as typeof shape.data & { stack?: string };
      return {
        ...shape,
        message: clientMessage(error, requestId),
        data: { ...data, fieldErrors, links, requestId: requestId ?? null },
      };
    },
  });

/**
 * Inputs are cleaned where they enter: a NUL character or half of a UTF-16 pair anywhere in
 * them is refused with a 400 naming the field, before any procedure (or the database) sees it.
 */
const cleanInput = t.middleware(async ({ getRawInput, next }) => {
  const unsafe = findUnsafeText(await getRawInput());
  if (unsafe) {
    const message = unsafeTextMessage(unsafe);
    throw new TRPCError({
      code: 'BAD_REQUEST',
      message,
      cause: new ValidationError(message, { [unsafe.field]: [message] }),
    });
  }
  return next();
});

/**
 * Domain errors from core become TRPC errors with the same, person-readable message; the database
 * away (a restart or failover) is a 503 with a generic message, to try again, not a 500.
 */
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
                : cause instanceof TransientError || isConnectionError(cause)
                  ? 'SERVICE_UNAVAILABLE'
                  : null;
  if (!code || !cause) return result;
  return { ...result, error: new TRPCError({ code, message: cause.message, cause }) };
});

/** The API token's refusal: the same for a token that never existed, was revoked or has expired. */
const TOKEN_REFUSED = 'This API token is not valid: it was revoked, has expired or never existed.';

/** The caller behind the bearer token, or the cookie; looked up once per request. */
function resolveCaller(ctx: Context): Promise<Auth | null> {
  const cache = ctx.callerCache ?? {};
  cache.caller ??= (async (): Promise<Auth | null> => {
    if (ctx.bearerToken) {
      const found = await resolveApiToken(ctx.em, ctx.bearerToken, ctx.origin, ctx.clock);
      if (!found) throw new TRPCError({ code: 'UNAUTHORIZED', message: TOKEN_REFUSED });
      ctx.logCaller?.({ userId: found.user.id, tokenId: found.tokenId });
      const verdict = await ctx.tokenRateLimiter?.take(ctx.em, found.tokenId);
      if (verdict && !verdict.allowed) {
        const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
        // Answered 429 with Retry-After (the server reads retryAfterMs).
        throw new RateLimitedError(
          `This API token made too many calls; try again in ${seconds} second${seconds === 1 ? '' : 's'}.`,
          verdict.retryAfterMs,
        );
      }
      return { via: 'token', user: found.user, tokenId: found.tokenId, scopes: found.scopes };
    }
    const found = ctx.sessionToken
      ? await resolveSession(ctx.em, ctx.sessionToken, ctx.accounts.sessionTtlMs, ctx.clock)
      : null;
    if (ctx.sessionToken && !found) ctx.sessionCookie.clear();
    if (found) ctx.logCaller?.({ userId: found.user.id });
    return found ? { via: 'session', user: found.user, sessionId: found.sessionId } : null;
  })();
  return cache.caller;
}

/** Looks up the caller: the API token, or the session behind the cookie (a cookie for an ended session is cleared). */
const withSession = t.middleware(async ({ ctx, next }) => next({ ctx: { auth: await resolveCaller(ctx) } }));

const requireSignedIn = t.middleware(({ ctx, next }) => {
  const auth = (ctx as { auth?: Auth | null }).auth;
  if (!auth) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
  return next({ ctx: { auth } });
});

/**
 * What an API token needs to call a procedure of a kind: a scope for its queries and one for its
 * mutations, unless the procedure's meta says otherwise. A browser session passes untouched.
 */
function tokenScope(scopes: { query: ApiTokenScope; mutation: ApiTokenScope }) {
  return t.middleware(({ ctx, meta, type, next }) => {
    const auth = (ctx as { auth?: Auth | null }).auth;
    if (auth?.via !== 'token') return next();
    if (meta?.sessionOnly) {
      throw new TRPCError({ code: 'FORBIDDEN', message: 'API tokens cannot do this; sign in to Handover to do it.' });
    }
    const needed =
      meta?.tokenScope !== undefined ? meta.tokenScope : type === 'mutation' ? scopes.mutation : scopes.query;
    if (needed && !scopeGrants(auth.scopes, needed)) {
      throw new TRPCError({ code: 'FORBIDDEN', message: `This API token does not have the ${needed} scope.` });
    }
    return next();
  });
}

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
    billing: ctx.billing,
  };
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// The procedure kinds: the one place where who may call what is decided.

/** Anyone may call. */
export const publicProcedure = t.procedure.use(domainErrors).use(cleanInput);

/** Anyone may call; `ctx.auth` says who, when someone is signed in or calls with a token. */
export const sessionProcedure = publicProcedure
  .use(withSession)
  .use(tokenScope({ query: 'orders:read', mutation: 'orders:place' }));

const signedIn = publicProcedure.use(withSession).use(requireSignedIn);

/** Signed-in users of any role: their own orders, account and checkouts. */
export const protectedProcedure = signedIn.use(tokenScope({ query: 'orders:read', mutation: 'orders:place' }));

/** Signed-in users with one of `roles`; a token also needs the kind's scope. */
function roleProcedure(roles: readonly UserRole[], scopes: { query: ApiTokenScope; mutation: ApiTokenScope }) {
  return signedIn
    .use(({ ctx, next }) => {
      if (!roles.includes(ctx.auth.user.role)) {
        throw new TRPCError({ code: 'FORBIDDEN', message: `This needs the ${roles.join(' or ')} role.` });
      }
      return next();
    })
    .use(tokenScope(scopes));
}

/** The back office: ops, finance and admin. Its changes (acknowledging an alert, say) are operations work. */
export const staffProcedure = roleProcedure(['ops', 'finance', 'admin'], {
  query: 'orders:read',
  mutation: 'fulfillment:operate',
});

/** Operations work that may touch delivered secrets (inventory credentials): ops and admin, never finance. */
export const opsProcedure = roleProcedure(['ops', 'admin'], { query: 'orders:read', mutation: 'fulfillment:operate' });

/** Money: reports, their downloads and refunds; finance and admin. */
export const financeProcedure = roleProcedure(['finance', 'admin'], {
  query: 'reports:finance',
  mutation: 'reports:finance',
});

/** Products, users and roles. */
export const adminProcedure = roleProcedure(['admin'], { query: 'admin', mutation: 'admin' });
