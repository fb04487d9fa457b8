import { PermanentError, TransientError } from '@handover/core';

/**
 * The stable codes the private SMTP driver acts on (seed 001 step 5.4 and the troubleshooting
 * guide). Besides these, JsonClient's own: `rate_limited` (429, with Retry-After),
 * `provider_unavailable` (408, 5xx), `timeout`, `network_error`, `invalid_response`, `rejected`.
 */
export type PrivateSmtpErrorCode =
  | 'mailin_auth'
  | 'mailin_domain_not_ready'
  | 'mailin_mailbox_exists'
  | 'mailin_job_not_found'
  | 'mailin_job_failed'
  | 'mailin_job_pending'
  | 'mailin_request_refused'
  | 'mailin_subscription_required'
  | 'registrar_auth'
  | 'ip_not_allowlisted'
  | 'domain_not_in_account'
  | 'registrar_rejected'
  | 'invalid_request';

export function hasHttpStatus(error: unknown, ...statuses: number[]): error is PermanentError | TransientError {
  return (
    (error instanceof PermanentError || error instanceof TransientError) &&
    statuses.includes(error.options.httpStatus ?? -1)
  );
}

/** The same refusal under the code the driver acts on; the vendor's message and status are kept. */
export function recode(error: PermanentError | TransientError, code: PrivateSmtpErrorCode): PermanentError {
  return new PermanentError(error.message, code, { httpStatus: error.options.httpStatus, cause: error });
}
