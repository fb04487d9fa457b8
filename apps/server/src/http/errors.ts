import {
  AuthenticationError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  RateLimitedError,
  ValidationError,
} from '@handover/core';
import { isConnectionError } from '@handover/db';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every error answer outside tRPC (whose formatter does the same in its own envelope): a stable
 * `error` code, a `message` written for the caller and the `requestId` under which the details
 * are logged. A database's, a library's or a vendor's own text never reaches the caller.
 */
export interface ErrorBody {
  error: string;
  message: string;
  requestId: string;
  [extra: string]: unknown;
}

/** A refusal the route means, with a message written for the caller. */
export class HttpRefusal extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Fastify's and its parsers' own refusals, in our words. */
const FRAMEWORK_REFUSALS: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    message: 'This content type is not accepted here.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'body_too_large', message: 'The request body is too large.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'invalid_json', message: 'The request body is empty; send JSON.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'invalid_content_length',
    message: 'Content-Length does not match the body.',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'invalid_json', message: 'The request body is not valid JSON.' },
  FST_ERR_BAD_URL: { code: 'bad_url', message: 'The address of this request is not valid.' },
  FST_ERR_ASYNC_CONSTRAINT: { code: 'bad_request', message: 'The request is not one this server accepts.' },
};

const STATUS_CODES: Record<number, { code: string; message: string }> = {
  400: { code: 'bad_request', message: 'The request is not one this server accepts.' },
  401: { code: 'unauthorized', message: 'Sign in, or sign the request, to continue.' },
  403: { code: 'forbidden', message: 'This is not allowed for you.' },
  404: { code: 'not_found', message: 'There is nothing here.' },
  405: { code: 'method_not_allowed', message: 'This method is not allowed here.' },
  408: { code: 'request_timeout', message: 'The request took too long to arrive.' },
  409: { code: 'conflict', message: 'This conflicts with the current state; reload and try again.' },
  413: { code: 'body_too_large', message: 'The request body is too large.' },
  414: { code: 'url_too_long', message: 'The address of this request is too long.' },
  415: { code: 'unsupported_media_type', message: 'This content type is not accepted here.' },
  429: { code: 'too_many_requests', message: 'Too many requests. Try again in a moment.' },
  431: { code: 'headers_too_large', message: 'The request headers are too large.' },
};

/** Status, code and message for an error thrown while handling a request. */
export function describeError(error: unknown): { status: number; code: string; message: string; extra?: object } {
  if (error instanceof HttpRefusal) {
    return { status: error.statusCode, code: error.code, message: error.message, extra: error.extra };
  }
  if (error instanceof ValidationError) {
    return { status: 400, code: 'invalid_request', message: error.message, extra: { fieldErrors: error.fieldErrors } };
  }
  if (error instanceof NotFoundError) return { status: 404, code: 'not_found', message: error.message };
  if (error instanceof ConflictError) return { status: 409, code: 'conflict', message: error.message };
  if (error instanceof ForbiddenError) return { status: 403, code: 'forbidden', message: error.message };
  if (error instanceof AuthenticationError) return { status: 401, code: 'unauthorized', message: error.message };
  if (error instanceof RateLimitedError) return { status: 429, code: 'too_many_requests', message: error.message };
  // The database restarting or failing over: a moment's wait, not a fault; callers (and gateways
  // resending webhooks) retry after Retry-After.
  if (isConnectionError(error)) {
    return { status: 503, code: 'unavailable', message: 'This is briefly unavailable. Try again in a moment.' };
  }
  const fastifyError = error as Partial<FastifyError>;
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    const known = (fastifyError.code && FRAMEWORK_REFUSALS[fastifyError.code]) || STATUS_CODES[status];
    return { status, ...(known ?? STATUS_CODES[400] ?? { code: 'bad_request', message: 'Bad request.' }) };
  }
  return {
    status: status >= 500 && status < 600 ? status : 500,
    code: 'internal_error',
    message: 'Something went wrong on our side. If it goes on, tell us the request id.',
  };
}

export function errorBody(request: FastifyRequest, code: string, message: string, extra: object = {}): ErrorBody {
  return { error: code, message, ...extra, requestId: String(request.id) };
}

/** How long a caller is asked to wait while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

export function sendError(reply: FastifyReply, error: unknown, message500?: string): FastifyReply {
  const { status, code, message, extra } = describeError(error);
  if (status === 503) reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
  if (status >= 500) reply.request.log.error({ err: error }, 'request failed');
  else reply.request.log.info({ status, code, reason: (error as Error).message }, 'request refused');
  return reply
    .code(status)
    .send(errorBody(reply.request, code, status >= 500 && message500 ? message500 : message, extra));
}

/**
 * One error handler for the whole server, and a request id on every response (`X-Request-Id`,
 * and `requestId` in each error body that a route wrote itself without one).
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, _request, reply) => sendError(reply, error));
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.startsWith('{')) return payload;
    if (!String(reply.getHeader('content-type') ?? '').startsWith('application/json')) return payload;
    try {
      const body = JSON.parse(payload) as Record<string, unknown>;
      if (body.requestId !== undefined || typeof body.error !== 'string') return payload;
      return JSON.stringify({ ...body, requestId: String(request.id) });
    } catch {
      return payload;
    }
  });
}
