import { addJob, type BillingSystem, jobSpec } from '@handover/core';
import { BillingAccount, OutboxMessage, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { buildBillingSystem } from '@handover/integrations';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runJob, until } from '../../worker/test/support/fixtures';
import { type InProcessWorker, startInProcessWorker } from '../../worker/test/support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from '../../worker/test/support/sandbox';
import { BILLING_SANDBOX_ENV } from '../../worker/test/support/whmcs';
import { PORTAL, startServer } from './harness';

const PASSWORD = 'correct horse battery';

interface SandboxWhmcsClient {
  id: number;
  email: string;
  customfields: Record<string, string>;
}

/**
 * Seed 004 signup: confirming the account queues the worker's `open_billing_account`, which makes
 * the customer's WHMCS client (with the customer number) and the mapping, once, whatever WHMCS does.
 */
describe('sign-up opens the customer’s WHMCS client (seed 004 signup)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const clock = { now: () => new Date() };
  let sandbox: TestSandbox;
  let server: { app: FastifyInstance; base: string };
  let n = 0;
  const em = () => db.orm.em.fork();

  const post = (path: string, json: unknown) =>
    fetch(`${server.base}/trpc/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PORTAL },
      body: JSON.stringify({ json }),
    });
  /** Signs up through the server and follows the emailed link, as a new customer does. */
  const signUp = async (email: string) => {
    expect((await post('auth.signUp', { email })).status).toBe(200);
    const [mail] = await em().find(OutboxMessage, { recipient: email, template: 'verify_email' });
    const token = new URL(
      /http:\/\/portal\.test:5173\/verify-email\?token=\S+/.exec(mail?.body ?? '')?.[0] ?? 'x:',
    ).searchParams.get('token');
    const verified = await post('auth.verifyEmail', {
      token,
      password: PASSWORD,
      name: 'Taro Yamada',
      customerNumber: 'CN-0042',
    });
    expect(verified.status).toBe(200);
    const user = await em().findOneOrFail(User, { email });
    expect(user.emailVerifiedAt).not.toBeNull();
    return user.id;
  };
  const jobKey = (userId: string) => `open_billing_account:${userId}`;
  const job = async (userId: string) => {
    const [row] = await em().execute<{ attempts: number; last_error: string | null }[]>(
      'select attempts, last_error from graphile_worker._private_jobs where key = ?',
      [jobKey(userId)],
    );
    return row ?? null;
  };
  /** The job, once it has failed at least once and waits for its next try. */
  const failedOnce = (userId: string) =>
    until(
      async () => {
        const row = await job(userId);
        return row && row.attempts >= 1 && row.last_error ? row : null;
      },
      { what: `a failed attempt of ${jobKey(userId)}` },
    );
  /** Brings the job's retries forward (graphile-worker's backoff grows to hours) until it is done. */
  const finished = (userId: string) =>
    until(
      async () => {
        await em().execute(
          'update graphile_worker._private_jobs set run_at = now() where key = ? and locked_at is null',
          [jobKey(userId)],
        );
        return (await job(userId)) === null;
      },
      { what: `${jobKey(userId)} done` },
    );
  const whmcsClients = async () =>
    (await sandbox.control<{ clients: SandboxWhmcsClient[] }>('/_control/whmcs/state')).clients;
  const startWorker = (billing: BillingSystem | null) => startInProcessWorker(db, [], { billing });

  beforeAll(async () => {
    sandbox = await startTestSandbox(BILLING_SANDBOX_ENV);
    server = await startServer({ orm: db.orm, databaseUrl: db.url, clock });
  });
  afterAll(async () => {
    await server?.app.close();
    await sandbox?.close();
  });
  // The sandbox's WHMCS counts client ids from 1 again after a reset: the mappings go with it.
  beforeEach(async () => {
    await sandbox.reset();
    await em().nativeDelete(BillingAccount, {});
  });

  describe('with WHMCS', () => {
    let worker: InProcessWorker;

    beforeAll(async () => {
      // The worker's billing system as its process builds it, from the environment; no retries
      // inside a call and a quick breaker, so that the job's own retries are what is tested.
      const billing = buildBillingSystem(
        {
          WHMCS_API_URL: `${sandbox.url}/whmcs`,
          WHMCS_API_IDENTIFIER: BILLING_SANDBOX_ENV.WHMCS_API_IDENTIFIER,
          WHMCS_API_SECRET: BILLING_SANDBOX_ENV.WHMCS_API_SECRET,
          WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
          WHMCS_TIMEOUT_MS: '2000',
          WHMCS_RETRIES: '0',
          WHMCS_BREAKER_THRESHOLD: '2',
          WHMCS_BREAKER_OPEN_MS: '400',
        },
        'worker',
      );
      worker = await startWorker(billing);
    });
    afterAll(() => worker?.stop());

    it('makes exactly one WHMCS client with the customer number, and the mapping, when the account is confirmed', async () => {
      const email = `signup-${++n}@example.com`;
      const userId = await signUp(email);
      const account = await until(() => em().findOne(BillingAccount, { user: userId }), {
        what: 'the billing account',
      });
      await finished(userId);

      const clients = await whmcsClients();
      expect(clients).toHaveLength(1);
      expect(clients[0]).toMatchObject({ email, customfields: { 1: 'CN-0042' } });
      expect(account).toMatchObject({
        system: 'WHMCS',
        externalClientId: String(clients[0]?.id),
        customerNumber: 'CN-0042',
      });
      expect(await em().count(BillingAccount, { user: userId })).toBe(1);
    });

    it('makes the client when a reset link is what confirms the account, as for a guest who never used the sign-up link', async () => {
      const email = `reset-${++n}@example.com`;
      expect((await post('auth.signUp', { email })).status).toBe(200);
      const guest = await em().findOneOrFail(User, { email });
      expect(guest.emailVerifiedAt).toBeNull();
      expect((await post('auth.requestPasswordReset', { email })).status).toBe(200);
      const [mail] = await em().find(OutboxMessage, { recipient: email, template: 'password_reset' });
      const token = new URL(
        /http:\/\/portal\.test:5173\/reset-password\?token=\S+/.exec(mail?.body ?? '')?.[0] ?? 'x:',
      ).searchParams.get('token');
      expect((await post('auth.resetPassword', { token, password: PASSWORD })).status).toBe(200);
      await until(() => em().findOne(BillingAccount, { user: guest.id }), { what: 'the billing account' });
      await finished(guest.id);
      expect((await whmcsClients()).map((client) => client.email)).toEqual([email]);

      // A reset of an account already confirmed queues nothing more.
      expect((await post('auth.requestPasswordReset', { email })).status).toBe(200);
      const [, second] = await em().find(
        OutboxMessage,
        { recipient: email, template: 'password_reset' },
        { orderBy: { createdAt: 'asc' } },
      );
      const again = new URL(
        /http:\/\/portal\.test:5173\/reset-password\?token=\S+/.exec(second?.body ?? '')?.[0] ?? 'x:',
      ).searchParams.get('token');
      expect((await post('auth.resetPassword', { token: again, password: `${PASSWORD} again` })).status).toBe(200);
      expect(await job(guest.id)).toBeNull();
    });

    it('makes one client when the first AddClient’s answer is lost, and when the job runs again', async () => {
      // WHMCS adds the client, but the connection drops before its answer.
      await sandbox.control('/_control/whmcs/lost-answers', 'PUT', { action: 'AddClient', count: 1 });
      const email = `lost-answer-${++n}@example.com`;
      const userId = await signUp(email);
      await failedOnce(userId);
      expect(await whmcsClients()).toHaveLength(1);
      expect(await em().count(BillingAccount, { user: userId })).toBe(0);

      // The retry finds the client the lost answer made, by email.
      await finished(userId);
      const account = await em().findOneOrFail(BillingAccount, { user: userId });
      let clients = await whmcsClients();
      expect(clients).toHaveLength(1);
      expect(clients[0]).toMatchObject({ email, customfields: { 1: 'CN-0042' } });
      expect(account.externalClientId).toBe(String(clients[0]?.id));

      // The same job once more (a duplicate, or a run whose success was not recorded): nothing new.
      await runJob(em(), 'open_billing_account', { userId });
      clients = await whmcsClients();
      expect(clients).toHaveLength(1);
      expect(await em().count(BillingAccount, { user: userId })).toBe(1);
      // GetClientsDetails and the lost AddClient, then GetClientsDetails finding it; the last run
      // found the mapping and asked WHMCS nothing.
      expect((await sandbox.calls('whmcs')).endpoints['POST /whmcs/includes/api.php']).toBe(3);
    });

    it('signs up and confirms while WHMCS is down; the client is made once WHMCS is back', async () => {
      await sandbox.control('/_control/whmcs/down', 'PUT', { down: true });
      const email = `down-${++n}@example.com`;
      const userId = await signUp(email);
      const failed = await failedOnce(userId);
      expect(failed.last_error).toMatch(/503|whmcs/i);
      expect(await whmcsClients()).toHaveLength(0);
      expect(await em().count(BillingAccount, { user: userId })).toBe(0);

      await sandbox.control('/_control/whmcs/down', 'PUT', { down: false });
      await finished(userId);
      const clients = await whmcsClients();
      expect(clients).toHaveLength(1);
      expect(clients[0]).toMatchObject({ email, customfields: { 1: 'CN-0042' } });
      const account = await em().findOneOrFail(BillingAccount, { user: userId });
      expect(account.externalClientId).toBe(String(clients[0]?.id));
    });
  });

  describe('when WHMCS refuses', () => {
    let worker: InProcessWorker | undefined;
    afterAll(() => worker?.stop());

    it('confirms the account; the refused job is not retried, and the client is left to the first billed need', async () => {
      const userId = await signUp(`refused-${++n}@example.com`);
      // A credential WHMCS does not accept: answered 403 "Authentication Failed", a refusal.
      worker = await startWorker(
        buildBillingSystem(
          {
            WHMCS_API_URL: `${sandbox.url}/whmcs`,
            WHMCS_API_IDENTIFIER: BILLING_SANDBOX_ENV.WHMCS_API_IDENTIFIER,
            WHMCS_API_SECRET: 'not-the-whmcs-secret-0123',
            WHMCS_CUSTOMER_NUMBER_FIELD_ID: '1',
            WHMCS_RETRIES: '0',
          },
          'worker',
        ),
      );
      await until(async () => (await job(userId)) === null, { what: `${jobKey(userId)} done` });
      expect(await em().count(BillingAccount, { user: userId })).toBe(0);
      expect(await whmcsClients()).toHaveLength(0);
      expect((await sandbox.calls('whmcs')).endpoints['POST /whmcs/includes/api.php']).toBe(1);
    });
  });

  describe('without WHMCS', () => {
    let worker: InProcessWorker | undefined;
    afterAll(() => worker?.stop());

    it('confirms the account, and its job calls nothing', async () => {
      // Signed up before any worker runs: the confirmation queued the job, one per customer.
      const userId = await signUp(`no-whmcs-${++n}@example.com`);
      expect(await job(userId)).toMatchObject({ attempts: 0, last_error: null });
      // The same job again (a duplicate) is the same job: one per customer.
      await em().transactional((tem) => addJob(tem, jobSpec('open_billing_account', { userId })));
      const [{ jobs } = { jobs: 0 }] = await em().execute<{ jobs: number }[]>(
        'select count(*)::int as jobs from graphile_worker._private_jobs where key = ?',
        [jobKey(userId)],
      );
      expect(jobs).toBe(1);

      worker = await startWorker(null);
      await finished(userId);
      expect(await em().count(BillingAccount, { user: userId })).toBe(0);
      expect((await sandbox.calls('whmcs')).endpoints).toEqual({});
    });
  });
});
