import { ConfigError, redact, systemClock } from '@handover/core';
import { migrate, openOrm } from '@handover/db';
import pino from 'pino';
import { loadWorkerConfig } from './config';
import { crontab } from './crontab';
import { createSmtpSender } from './email/smtpSender';
import { startWorker } from './runner';
import { buildTaskList } from './tasks';

async function main(): Promise<void> {
  const config = loadWorkerConfig(process.env);
  const logger = pino({
    level: config.LOG_LEVEL,
    base: { app: 'worker' },
    // Every logged object passes through the one redaction helper.
    formatters: { log: (object) => redact(object) },
  });
  await migrate(config.DATABASE_URL);
  const orm = await openOrm({ url: config.DATABASE_URL, poolMax: config.WORKER_CONCURRENCY + 2 });
  const email = createSmtpSender(config.smtp);
  const worker = await startWorker({
    config,
    orm,
    clock: systemClock,
    logger,
    taskList: buildTaskList({ orm, clock: systemClock, senders: { email } }),
    crontab,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 30_000).unref();
    await worker.stop();
    email.close();
    await orm.close();
    clearTimeout(force);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
