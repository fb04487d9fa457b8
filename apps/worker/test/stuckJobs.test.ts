import { DriverRegistry, parseEncryptionKeys, SecretBox } from '@handover/core';
import { FulfillmentRecord, type Orm, openOrm } from '@handover/db';
import { type RestartablePostgres, startRestartablePostgres } from '@handover/db/testing';
import { buildDrivers } from '@handover/integrations';
import type { ManagedProcess } from '@handover/scripts/processes';
import { type Stack, startStack } from '@handover/scripts/stack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';

const STALE_AFTER_MS = 3_000;
const HEARTBEAT_MS = 300;

interface JobRow {
  id: string;
  locked_by: string | null;
  locked_at: Date | null;
}

/**
 * A `verify_dns` job once stayed locked for 7 to 13 minutes after the worker holding it was
 * killed. Two real worker processes share the queue; the one running a job is SIGKILLed, and the
 * job must be free, and run by the other, within the stale timeout (and a heartbeat).
 */
describe('jobs a dead worker held', () => {
  let database: RestartablePostgres;
  let stack: Stack;
  let orm: Orm;
  const em = () => orm.em.fork();
  const sandbox = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${stack.sandboxUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const job = async (key: string) =>
    (
      await em().execute<JobRow[]>(
        'select id::text, locked_by, locked_at from graphile_worker._private_jobs where key = ?',
        [key],
      )
    )[0];
  /**
   * The job by its id: a DNS check that finds the domain not ready queues its next check under the
   * same key (`verify_dns` with `whenDue`), which takes the key from the job still running.
   */
  const jobById = async (id: string) =>
    (
      await em().execute<JobRow[]>(
        'select id::text, locked_by, locked_at from graphile_worker._private_jobs where id = ?::bigint',
        [id],
      )
    )[0];
  /** The worker process whose graphile-worker ids include `workerId`. */
  const holderOf = async (workerId: string): Promise<ManagedProcess> => {
    const [node] = await em().execute<{ pid: number }[]>(
      'select pid from worker_nodes where worker_ids @> jsonb_build_array(?::text)',
      [workerId],
    );
    const holder = ['worker-a', 'worker-b'].map((name) => stack.process(name)).find((p) => p?.child.pid === node?.pid);
    if (!holder) throw new Error(`no worker process holds ${workerId}`);
    return holder;
  };

  beforeAll(async () => {
    database = await startRestartablePostgres();
    orm = await openOrm({ url: database.url, poolMax: 4 });
    stack = await startStack({
      databaseUrl: database.url,
      workerEnv: {
        WORKER_HEARTBEAT_MS: String(HEARTBEAT_MS),
        WORKER_STALE_AFTER_MS: String(STALE_AFTER_MS),
        FULFILLMENT_LEASE_MS: '4000',
        // The DNS check over the sandbox's JSON DNS, which the test slows down.
        DNS_RESOLVER: 'doh',
        DNS_TIMEOUT_MS: '60000',
      },
    });
    // DNS_DOH_URL depends on the sandbox's address, known once it runs.
    await stack.startWorker('worker-a', { DNS_DOH_URL: `${stack.sandboxUrl}/dns` });
    await stack.startWorker('worker-b', { DNS_DOH_URL: `${stack.sandboxUrl}/dns` });
  });
  afterAll(async () => {
    await stack?.stop();
    await orm?.close(true);
    await database?.stop();
  });

  it('frees the verify_dns job a SIGKILLed worker was running within the stale timeout, and the other worker runs it', async () => {
    const registry = new DriverRegistry(buildDrivers(stack.vendorEnv, 'test'));
    await stockPool(em(), new SecretBox(parseEncryptionKeys(stack.keys.encryptionKeys)), 'microsoft-365', 2);
    const product = await createM365DomainProduct(em(), { slug: 'm365', pool: 'microsoft-365' });
    const { records } = await placeOrder(em(), registry, product, [m365OrderForm(['stuck.example'])]);
    const recordId = records[0]?.id ?? '';
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, recordId)).status === 'completed', {
      what: 'the domain delivered',
    });

    // Every DNS lookup now hangs for 20 s: the "Check now" job is held by whichever worker takes it.
    await sandbox('/_control/faults/dns', 'PUT', { latencyMs: 20_000 });
    const key = `verify_dns:${recordId}`;
    await em().execute(
      `select graphile_worker.add_job('verify_dns', json_build_object('recordId', ?::text), job_key => ?)`,
      [recordId, key],
    );
    const held = await until(async () => {
      const row = await job(key);
      return row?.locked_by ? row : null;
    });
    await until(
      async () => ((await sandbox('/_control/calls?emulator=dns').then((r) => r.json())) as { dns?: unknown }).dns,
      {
        what: 'the lookup under way',
      },
    );
    const victim = await holderOf(held.locked_by ?? '');
    const killedAt = Date.now();
    await victim.kill();
    await sandbox('/_control/faults/dns', 'DELETE');

    const freed = await until(
      async () => {
        const row = await jobById(held.id);
        return !row || row.locked_by !== held.locked_by ? { at: Date.now(), row } : null;
      },
      { timeoutMs: 30_000, what: 'the job freed' },
    );
    expect(freed.at - killedAt).toBeLessThan(STALE_AFTER_MS + HEARTBEAT_MS + 1_000);
    // The survivor runs it to the end (a done job leaves the queue)...
    await until(async () => !(await jobById(held.id)), { what: 'the job run by the other worker' });
    // ...having looked the domain up, and queued its next check for when it is due.
    const [check] = await em().execute<{ checked_at: string | null }[]>(
      'select (extract(epoch from last_checked_at) * 1000)::bigint::text as checked_at from dns_checks where record_id = ?',
      [recordId],
    );
    expect(Number(check?.checked_at)).toBeGreaterThan(killedAt);
    const next = await job(key);
    expect(next?.id).not.toBe(held.id);
    expect(next?.locked_by).toBeNull();
    const survivor = ['worker-a', 'worker-b'].map((n) => stack.process(n)).find((p) => p !== victim);
    expect(survivor?.child.exitCode).toBeNull();
  });

  it('frees a job locked under an id no live worker claims, as a worker killed before its first heartbeat leaves it', async () => {
    await em().execute(
      `select graphile_worker.add_job('expire_pending_orders', '{}'::json, job_key => 'orphaned', run_at => now() + interval '1 hour')`,
    );
    await em().execute(
      `update graphile_worker._private_jobs set locked_by = 'pool-never-beat', locked_at = now() - interval '1 minute'
        where key = 'orphaned'`,
    );
    await until(async () => (await job('orphaned'))?.locked_by === null, {
      timeoutMs: STALE_AFTER_MS * 2,
      what: 'the orphaned lock freed',
    });
  });

  it('takes no live worker for dead when the database was down for longer than the stale timeout', async () => {
    const survivors = await em().execute<{ id: string; created_at: Date }[]>(
      'select id, created_at from worker_nodes order by id',
    );
    expect(survivors.length).toBeGreaterThan(0);
    await database.halt();
    await new Promise((resolve) => setTimeout(resolve, STALE_AFTER_MS * 2));
    await database.resume();
    // Long enough for any reaper to have judged (and to have re-beaten after a wrongful reap).
    await new Promise((resolve) => setTimeout(resolve, STALE_AFTER_MS * 2));
    const after = await em().execute<{ id: string; created_at: Date }[]>(
      'select id, created_at from worker_nodes order by id',
    );
    // The same rows: none deleted by a reaper and written again by its heartbeat.
    expect(after).toEqual(survivors);
  });
});
