import { randomBytes } from 'node:crypto';
import { useTestDatabase } from '@handover/db/vitest';
import { type ManagedProcess, startProcess } from '@handover/scripts/processes';
import { afterAll, describe, expect, it } from 'vitest';

interface NodeRow {
  id: string;
  pid: number;
  worker_ids: string[];
}

async function until<T>(probe: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('condition not met in time');
}

describe('worker processes', () => {
  const db = useTestDatabase();
  const processes: ManagedProcess[] = [];
  const startWorker = (logLevel = 'warn') => {
    const proc = startProcess({
      name: `worker-${processes.length + 1}`,
      entry: 'apps/worker/src/main.ts',
      env: {
        DATABASE_URL: db.url,
        HANDOVER_ENCRYPTION_KEYS: `k1=${randomBytes(32).toString('base64')}`,
        LOG_LEVEL: logLevel,
        WORKER_HEARTBEAT_MS: '200',
        WORKER_STALE_AFTER_MS: '1500',
        // Required by the m365-domain driver; nothing in this test reaches PlugSaaS.
        PLUGSAAS_API_URL: 'http://127.0.0.1:9/plugsaas',
        PLUGSAAS_API_KEY: 'not-used-in-this-test',
        AT_ISHARE_API_URL: 'http://127.0.0.1:9/at-ishare',
        AT_ISHARE_API_KEY: 'not-used-in-this-test',
        ESIMACCESS_API_URL: 'http://127.0.0.1:9/esimaccess',
        ESIMACCESS_ACCESS_CODE: 'not-used-in-this-test',
        ESIMACCESS_SECRET_KEY: 'not-used-in-this-test',
        // Required by the saas-singletenant, license and download drivers; never reached here.
        INSTANCE_PROVISIONING_API_URL: 'http://127.0.0.1:9/instance-provisioning',
        INSTANCE_PROVISIONING_API_KEY: 'not-used-in-this-test',
        DOWNLOADS_DIR: '/nonexistent/handover-downloads',
        WHMCS_API_URL: 'http://127.0.0.1:9/whmcs',
        WHMCS_API_IDENTIFIER: 'not-used-in-this-test',
        WHMCS_API_SECRET: 'not-used-in-this-test',
        WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
      },
    });
    processes.push(proc);
    return proc;
  };
  const nodes = () =>
    db.orm.em.fork().execute<NodeRow[]>('select id, pid, worker_ids from worker_nodes order by created_at');
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('run side by side, and one frees the jobs a crashed one had locked', async () => {
    const first = startWorker();
    const second = startWorker();
    const both = await until(async () => {
      const rows = await nodes();
      return rows.length === 2 && rows.every((r) => r.worker_ids.length > 0) && rows;
    });
    const victim = both.find((row) => row.pid === first.child.pid);
    expect(victim).toBeDefined();

    // A job the first process holds when it dies, as if it were mid-run.
    const em = db.orm.em.fork();
    await em.execute(
      `select graphile_worker.add_job('held', '{}'::json, job_key => 'held-job', run_at => now() + interval '1 hour')`,
    );
    await em.execute(
      `update graphile_worker._private_jobs set locked_by = ?, locked_at = now() where key = 'held-job'`,
      [victim?.worker_ids[0]],
    );

    await first.kill();
    await until(async () => {
      const rows = await nodes();
      return rows.length === 1 && rows[0]?.pid === second.child.pid;
    });
    const [job] = await em.execute<{ locked_by: string | null }[]>(
      `select locked_by from graphile_worker._private_jobs where key = 'held-job'`,
    );
    expect(job?.locked_by).toBeNull();
  });

  it('leaves the worker registry on a graceful stop', async () => {
    const survivor = processes.find((p) => p.child.exitCode === null && p.child.signalCode === null);
    expect(survivor).toBeDefined();
    expect(await survivor?.stop('SIGTERM')).toBe(0);
    expect(await nodes()).toEqual([]);
  });

  it('logs the database ending its idle job-queue connections in one short line, and goes on running jobs', async () => {
    const worker = startWorker('info');
    await until(async () => worker.output().includes('worker started'));
    const em = db.orm.em.fork();
    const runJob = async () => {
      const [job] = await em.execute<{ id: string }[]>(
        `select id from graphile_worker.add_job('expire_pending_orders', '{}'::json)`,
      );
      await until(async () => {
        const [row] = await em.execute<{ n: number }[]>(
          'select count(*)::int as n from graphile_worker._private_jobs where id = ?',
          [job?.id],
        );
        return row?.n === 0;
      });
    };
    // A job just run leaves its connection idle in the pool (for ten seconds), where the
    // pool's own listener hears of its end; should every connection be busy at that moment,
    // the next round finds one idle (the line is logged once a minute however often it happens).
    const ended = "the database ended the job queue's idle connections";
    for (let round = 0; round < 5 && !worker.output().includes(ended); round++) {
      await runJob();
      await em.execute(
        `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'handover job queue'`,
      );
      await until(async () => worker.output().includes(ended), 5_000).catch(() => {});
    }
    expect(worker.output()).toContain(ended);
    // A job added afterwards still runs: the queue reconnects.
    await runJob();
    const lines = worker.output().split('\n');
    expect(lines.filter((line) => line.includes(ended))).toHaveLength(1);
    expect(worker.output()).not.toContain('an idle database connection of the job queue ended');
    // The client pg attaches to the error (its settings and state) is never logged.
    expect(worker.output()).not.toContain('connectionParameters');
    expect(worker.child.exitCode).toBeNull();
    expect(await worker.stop('SIGTERM')).toBe(0);
  });
});
