import { errorCode, HandoverDownloadError, isHandoverApiError } from '@handover/client';

/** What the command's exit status means, for scripts. */
export const EXIT = {
  ok: 0,
  /** Done, but something in it failed (a record not retried, an import refused). */
  failed: 1,
  /** The command line was wrong, or a confirmation was needed and not given. */
  usage: 2,
  /** Not logged in, or the token was refused (revoked, expired). */
  unauthorized: 3,
  /** The token or its owner may not do this. */
  forbidden: 4,
  notFound: 5,
  /** The server refused the input; the message says which field. */
  invalid: 6,
  /** Handover is busy or unreachable: try again later. */
  unavailable: 7,
  /** The person answered no, or pressed Ctrl-C. */
  cancelled: 130,
} as const;

/** A failure the command already explained, with the status to exit with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const BY_CODE: Record<string, number> = {
  UNAUTHORIZED: EXIT.unauthorized,
  FORBIDDEN: EXIT.forbidden,
  NOT_FOUND: EXIT.notFound,
  BAD_REQUEST: EXIT.invalid,
  CONFLICT: EXIT.failed,
  TOO_MANY_REQUESTS: EXIT.unavailable,
  SERVICE_UNAVAILABLE: EXIT.unavailable,
};

const BY_STATUS: Record<number, number> = {
  400: EXIT.invalid,
  401: EXIT.unauthorized,
  403: EXIT.forbidden,
  404: EXIT.notFound,
  429: EXIT.unavailable,
  503: EXIT.unavailable,
};

/** The exit status and the line to print for any error a command ends with. */
export function explain(error: unknown): { exitCode: number; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (isHandoverApiError(error)) {
    const fields = (error.data as { fieldErrors?: Record<string, string[]> | null } | undefined)?.fieldErrors;
    const detail = fields
      ? Object.entries(fields)
          .map(([field, messages]) => `\n  ${field}: ${messages.join('; ')}`)
          .join('')
      : '';
    return { exitCode: BY_CODE[errorCode(error) ?? ''] ?? EXIT.failed, message: `${error.message}${detail}` };
  }
  if (error instanceof HandoverDownloadError) {
    const detail = error.problems.map((problem) => `\n  ${problem}`).join('');
    return { exitCode: BY_STATUS[error.status] ?? EXIT.failed, message: `${error.message}${detail}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  const unreachable = /fetch failed|ECONNREFUSED|ENOTFOUND|did not answer/i.test(
    `${message} ${(error as { cause?: { message?: string; code?: string } })?.cause?.message ?? ''}`,
  );
  return { exitCode: unreachable ? EXIT.unavailable : EXIT.failed, message };
}
