import pg from 'pg';

/**
 * Errors that say the connection to PostgreSQL is gone or cannot be made (the server stopping,
 * restarting, failing over, or out of reach), as opposed to a statement's own failure. A process
 * rides these out: it reconnects; it never treats them as a bug.
 */
const CONNECTION_ERROR_CODES = new Set([
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now, and the connection exceptions.
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  // The socket's.
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * node-postgres's words for a connection that ended under it (it gives them no code), and the
 * messages of libraries that wrap a socket's error in one of their own, keeping only its text.
 */
const CONNECTION_ERROR_MESSAGES = [
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'Connection terminated',
  'Connection ended unexpectedly',
  'Client has encountered a connection error',
  'the database system is',
  'terminating connection',
  'timeout exceeded when trying to connect',
];

export function isConnectionError(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const { code, message, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && CONNECTION_ERROR_CODES.has(code)) return true;
    if (typeof message === 'string' && CONNECTION_ERROR_MESSAGES.some((m) => message.includes(m))) return true;
    if (Array.isArray(errors) && errors.some(isConnectionError)) return true;
    current = cause;
  }
  return false;
}

/**
 * graphile-worker's LISTEN client, when its connection dies, can be handed back to the pool twice
 * (once by its error handler, once after the failed UNLISTEN); pg-pool throws that where no one
 * catches it. It only follows a lost connection, and the job queue is restarted like one.
 */
export function isReleaseAfterLostConnection(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.includes('Release called on client which has already been released');
}

/** What is worth logging of a connection's error: its code and message, never the client pg attaches. */
export function connectionErrorFields(error: unknown): { reason: string; code?: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const reason = typeof message === 'string' ? message : String(error);
  return typeof code === 'string' ? { reason, code } : { reason };
}

export interface Backoff {
  /** First wait, in ms. */
  initialMs: number;
  /** Longest wait, in ms. */
  maxMs: number;
}

export const DATABASE_BACKOFF: Backoff = { initialMs: 250, maxMs: 10_000 };

/** The wait before attempt `n` (0 first): doubling up to the cap, with a random half of jitter so processes spread out. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: Backoff, random = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Resolves once `url` accepts a connection and answers `select 1`, trying again with backoff.
 * `onRetry` hears each failed try; `signal` gives up (rejecting) when aborted.
 */
export async function waitForDatabase(
  url: string,
  options: {
    backoff?: Backoff;
    onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
    signal?: AbortSignal;
  } = {},
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    options.signal?.throwIfAborted();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return;
    } catch (error) {
      const delayMs = backoffDelay(attempt, options.backoff ?? DATABASE_BACKOFF);
      options.onRetry?.(error, attempt, delayMs);
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/**
 * Keeps a process alive through a lost database connection that a library reports where no one
 * listens (an unhandled rejection, or an `error` event on a connection with no listener): it is
 * logged and handed to `onLost`, which reconnects. Anything else is still fatal, as Node makes it.
 */
export function guardAgainstLostConnections(options: {
  onLost(error: unknown): void;
  onFatal(error: unknown): void;
}): () => void {
  const handle = (error: unknown) => {
    if (isConnectionError(error) || isReleaseAfterLostConnection(error)) options.onLost(error);
    else options.onFatal(error);
  };
  process.on('unhandledRejection', handle);
  process.on('uncaughtException', handle);
  return () => {
    process.off('unhandledRejection', handle);
    process.off('uncaughtException', handle);
  };
}
