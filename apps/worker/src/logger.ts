import { Logger } from 'graphile-worker';
import type { Logger as Pino } from 'pino';

/** graphile-worker's log lines, through the process's pino logger. */
export function graphileLogger(pino: Pino): Logger {
  return new Logger((scope) => {
    const child = pino.child({ component: 'graphile-worker', ...scope });
    return (level, message, meta) => {
      const method = level === 'error' ? 'error' : level === 'warning' ? 'warn' : level === 'debug' ? 'debug' : 'info';
      child[method](meta ?? {}, message);
    };
  });
}
