import type { AppRouter } from '@handover/api';
import { TRPCClientError } from '@trpc/client';

/** An error from a procedure, with its typed `data`: `code`, `httpStatus` and a form's `fieldErrors`. */
export type HandoverApiError = TRPCClientError<AppRouter>;

/** Whether `error` came from Handover's API (not from the network or your code). */
export function isHandoverApiError(error: unknown): error is HandoverApiError {
  return error instanceof TRPCClientError;
}

/** The API's error code (`UNAUTHORIZED`, `FORBIDDEN`, `NOT_FOUND`, `BAD_REQUEST`, `TOO_MANY_REQUESTS`, ...), or null. */
export function errorCode(error: unknown): string | null {
  return isHandoverApiError(error) ? (error.data?.code ?? null) : null;
}

/** A report download Handover refused: its HTTP status and message. */
export class HandoverDownloadError extends Error {
  override readonly name = 'HandoverDownloadError';
  constructor(
    message: string,
    readonly status: number,
    /** The parameters the server found wrong, by name. */
    readonly problems: string[] = [],
  ) {
    super(message);
  }
}
