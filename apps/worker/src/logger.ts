import { isConnectionError } from '@handover/db';
import { Logger } from 'graphile-worker';
import type { Logger as Pino } from 'pino';

/**
 * graphile-worker's log lines, through the process's pino logger. Its errors about a lost
 * database connection (a restart: the queue reconnects, or is restarted) are warnings, and a
 * job that succeeded is a debug line: the crons finish several jobs a minute, and a line with
 * the whole job for each would bury what matters (failures stay errors).
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
            : level === 'debug' || meta?.success === true
              ? 'debug'
              : 'info';
      child[method](meta ?? {}, message);
    };
  });
}
