import type { Clock } from '@handover/core';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '@handover/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';

/** What every procedure receives: a request-scoped entity manager and the injected services. */
export interface Context {
  em: EntityManager;
  clock: Clock;
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
            : null;
  if (!code || !cause) return result;
  return { ...result, error: new TRPCError({ code, message: cause.message, cause }) };
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Anyone may call. */
export const publicProcedure = t.procedure.use(domainErrors);
