/**
 * Errors with a meaning the rest of the system acts on. Integration clients throw
 * TransientError / PermanentError; services throw the domain errors, which the API turns
 * into TRPCError codes with the same message.
 */

/** Worth retrying: network error, timeout, 5xx, 429. */
export class TransientError extends Error {
  override readonly name = 'TransientError';
  constructor(
    message: string,
    readonly code: string,
    readonly options: { retryAfterMs?: number; httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** Retrying will not help: validation refused, explicit refusal, bad credentials. */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  constructor(
    message: string,
    readonly code: string,
    readonly options: { httpStatus?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends Error {
  override readonly name = 'ConflictError';
  constructor(
    message: string,
    /** Where the person can go about it (seed 004: `manage`, the service they already have). */
    readonly links: Record<string, string> = {},
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override readonly name = 'ForbiddenError';
}

/** Input that breaks a business rule; `fieldErrors` name the fields for a form. */
export class ValidationError extends Error {
  override readonly name = 'ValidationError';
  constructor(
    message: string,
    readonly fieldErrors: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

/** The caller is not signed in, or their credentials were refused. */
export class AuthenticationError extends Error {
  override readonly name = 'AuthenticationError';
}

/** Too many attempts; the message says when to try again. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}
