import { isConnectionError } from '@handover/db';
import { Logger } from 'graphile-worker';
import type { Logger as Pino } from 'pino';

/**
 * graphile-worker's log lines, through the process's pino logger. Its errors about a lost
 * database connection (a restart: the queue reconnects, or is restarted) are warnings.
 */
export function graphileLogger(pino: Pino): Logger {
  return new Logger((scope) => {
    const child = pino.child({ component: 'graphile-worker', ...scope });
    return (level, message, meta) => {
      const lostConnection =
        level === 'error' && (isConnectionError(meta?.error) || isConnectionError(meta?.fatalError));
      const method =
        level === 'error' && !lostConnection
          ? 'error'
          : level === 'error' || level === 'warning'
            ? 'warn'
            : level === 'debug'
              ? 'debug'
              : 'info';
      child[method](meta ?? {}, message);
    };
  });
}
