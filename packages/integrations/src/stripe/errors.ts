import { PermanentError, TransientError } from '@handover/core';
import Stripe from 'stripe';

/** Stripe SDK errors in our terms: what is worth retrying, and what is not. */
export function classifyStripeError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode;
  const message = `stripe answered ${status ?? 'nothing'}: ${error.message}`;
  if (error instanceof Stripe.errors.StripeConnectionError || status === undefined) {
    return new TransientError(`stripe could not be reached: ${error.message}`, 'network_error', { cause: error });
  }
  if (status === 429) return new TransientError(message, 'rate_limited', { httpStatus: status, cause: error });
  if (status === 408 || status >= 500) {
    return new TransientError(message, 'provider_unavailable', { httpStatus: status, cause: error });
  }
  const code =
    status === 401 || status === 403
      ? 'unauthorized'
      : error instanceof Stripe.errors.StripeIdempotencyError || status === 409
        ? 'conflict'
        : 'rejected';
  return new PermanentError(message, code, { httpStatus: status, cause: error });
}
