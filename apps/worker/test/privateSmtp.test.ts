import { rerunFromStep, resubmitPrivateSmtpOrder, retryMailboxWork } from '@handover/core';
import {
  ActivityLog,
  AdminAlert,
  DomainTransfer,
  FulfillmentLog,
  FulfillmentRecord,
  FulfillmentStep,
  Notification,
  Order,
  OrderAutomation,
  OrderEmail,
  OutboxMessage,
  PlatformCredential,
  type Product,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { placeOrder, runJob, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import {
  createPrivateSmtpProduct,
  createTestPrivateSmtpAdapter,
  PRIVATE_SMTP_SANDBOX_ENV,
  privateSmtpLine,
  type Registrar,
  vendorControl,
} from './support/privateSmtp';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const STAFF = { type: 'user' as const, id: '00000000-0000-4000-8000-000000000001' };

describe('private-smtp driver (seed 001)', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let vendors: ReturnType<typeof vendorControl>;
  let product: Product;
  let n = 0;

  const em = () => db.orm.em.fork();
  const record = (id: string) => em().findOneOrFail(FulfillmentRecord, { id });
  const settled = (id: string, statuses: string[], timeoutMs = 30_000) =>
    until(
      async () => {
        const r = await record(id);
        return statuses.includes(r.status) && r.lockedBy === null ? r : null;
      },
      { what: `record ${id} in ${statuses.join('/')}`, timeoutMs },
    );
  const domain = (name: string) => `${name}-${++n}.com`;
  const order = async (
    domains: string[],
    options: { registrar?: Registrar; prefixes?: string[]; on?: Product } = {},
  ) => {
    const line = await privateSmtpLine(em(), worker.secrets, { domains, ...options });
    return placeOrder(em(), worker.registry, options.on ?? product, [line]);
  };
  const actions = async (orderId: string) =>
    (await em().find(ActivityLog, { subjectType: 'order', subjectId: orderId }, { orderBy: { id: 'asc' } })).map(
      (a) => a.action,
    );
  const stepsOf = async (recordId: string) =>
    (await em().find(FulfillmentStep, { record: recordId }, { orderBy: { position: 'asc' } })).map((s) => [
      s.name,
      s.status,
    ]);

  beforeAll(async () => {
    sandbox = await startTestSandbox(PRIVATE_SMTP_SANDBOX_ENV);
    vendors = vendorControl(sandbox.url);
    worker = await startInProcessWorker(db, [createTestPrivateSmtpAdapter(sandbox.url)]);
    product = await createPrivateSmtpProduct(em(), { slug: 'private-smtp' });
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  it('transfers each domain, points it at Mailin.ai at Spaceship, and creates its mailboxes once it is active', async () => {
    const names = [domain('bright'), domain('bright')];
    const { order: placed, records } = await order(names);
    expect(records.map((r) => r.subject)).toEqual(names);
    for (const r of records) await settled(r.id, ['completed']);

    const done = await record(records[0]?.id ?? '');
    expect(await stepsOf(done.id)).toEqual([
      ['check_domain', 'done'],
      ['check_domain_status', 'done'],
      ['transfer_domain', 'done'],
      ['update_nameservers', 'done'],
      ['await_transfer', 'done'],
      ['create_mailboxes', 'done'],
      ['await_mailboxes', 'done'],
    ]);
    const transfer = await em().findOneOrFail(DomainTransfer, { record: done.id });
    expect(transfer).toMatchObject({
      domainName: names[0],
      hostingPlatform: 'spaceship',
      status: 'completed',
      nameServerStatus: 'updated',
      nameServers: [expect.stringMatching(/\.mailin\.test$/), expect.stringMatching(/\.mailin\.test$/)],
    });
    expect(done.result).toEqual({
      domain: names[0],
      mailboxes: [`ama@${names[0]}`, `sales@${names[0]}`],
      nameservers: transfer.nameServers,
    });

    // Seed 001 step 6.4: order_emails with Mailin.ai's ids and encrypted, strong passwords.
    const mailboxes = await em().find(OrderEmail, { order: placed.id }, { orderBy: { email: 'asc' } });
    expect(mailboxes.map((m) => m.email).sort()).toEqual(names.flatMap((d) => [`ama@${d}`, `sales@${d}`]).sort());
    for (const mailbox of mailboxes) {
      expect(mailbox.mailinMailboxId).toEqual(expect.any(Number));
      expect(mailbox.passwordEncrypted).toMatch(/^v1\./);
      expect(worker.secrets.decrypt(mailbox.passwordEncrypted)).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*\d).{18}$/);
    }
    expect(done.externalReferenceId).toBe(String(mailboxes.find((m) => m.domain === names[0])?.mailinDomainId));
    const atMailin = await vendors.mailboxes();
    expect(atMailin.map((m) => m.username).sort()).toEqual(mailboxes.map((m) => m.email).sort());
    const automations = await em().find(OrderAutomation, { order: placed.id });
    expect(automations.map((a) => [a.status, a.mailboxCount, a.idempotencyKey.endsWith(':create_mailboxes')])).toEqual([
      ['completed', 2, true],
      ['completed', 2, true],
    ]);

    // The order completes when every domain has its mailboxes; the seed's notifications and events.
    expect(await em().findOneOrFail(Order, { id: placed.id })).toMatchObject({ fulfillmentStatus: 'completed' });
    const notices = await em().find(Notification, { data: { orderId: placed.id } });
    expect(notices.filter((x) => x.title === `Order ${placed.orderCode} is being processed`)).toHaveLength(1);
    expect(notices.filter((x) => x.type === 'email_created').map((x) => x.data.emailCount)).toEqual([2, 2]);
    expect(await em().count(OutboxMessage, { template: 'order_completed', recipient: 'customer@example.com' })).toBe(1);
    const events = await actions(placed.id);
    for (const event of [
      'mailin_ai_order_status_in_progress',
      'mailin_ai_domain_transfer_initiated',
      'mailin_ai_nameservers_updated',
      'mailin_ai_domain_transfer_completed',
      'mailin_ai_mailbox_job_dispatched',
      'mailin_ai_mailboxes_created',
      'mailin_ai_order_completed',
    ]) {
      expect(events, event).toContain(event);
    }
    expect(events.filter((e) => e === 'mailin_ai_order_status_in_progress')).toHaveLength(1);
    expect(events.filter((e) => e === 'mailin_ai_order_completed')).toHaveLength(1);

    // Every provider call is in the logs, and no secret is.
    const logs = await em().find(FulfillmentLog, { order: placed.id, kind: 'provider_call' });
    expect(new Set(logs.map((l) => l.step))).toEqual(
      new Set([
        'check_domain_status',
        'transfer_domain',
        'update_nameservers',
        'await_transfer',
        'create_mailboxes',
        'await_mailboxes',
      ]),
    );
    const logged = JSON.stringify(logs);
    for (const secret of [
      PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_KEY,
      PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_SECRET,
      PRIVATE_SMTP_SANDBOX_ENV.MAILIN_AI_PASSWORD,
      ...mailboxes.map((m) => worker.secrets.decrypt(m.passwordEncrypted)),
    ]) {
      expect(logged).not.toContain(secret);
    }
    const credentials = await em().findOneOrFail(PlatformCredential, { order: placed.id });
    expect(credentials.credentialsEncrypted).toMatch(/^v1\./);
    expect(credentials.hint).toEqual({ keyEnding: '-key' });
    expect(
      JSON.stringify((await em().find(FulfillmentRecord, { order: placed.id })).map((r) => r.payloadSnapshot)),
    ).not.toContain(PRIVATE_SMTP_SANDBOX_ENV.SPACESHIP_SANDBOX_API_SECRET);
  });

  it('creates the mailboxes of a registered domain at once, and those of the other when the cron finds it active', async () => {
    const [registered, unregistered] = [domain('ready'), domain('moving')];
    await vendors.activate(registered);
    // Mailin.ai sees the new delegation a while after the registrar made it.
    await vendors.mailinSettings({ activationDelayMs: 1_500 });
    const { order: placed, records } = await order([registered, unregistered]);
    const [ready, moving] = records;

    await settled(ready?.id ?? '', ['completed']);
    const waiting = await settled(moving?.id ?? '', ['awaiting_provider']);
    expect(waiting.statusReason).toMatch(new RegExp(`^Waiting for ${unregistered} to point at ns\\d\\.mailin\\.test`));
    expect(waiting.nextAttemptAt).toBeNull();
    expect(await stepsOf(ready?.id ?? '')).toContainEqual(['transfer_domain', 'done']);
    expect(await em().count(DomainTransfer, { record: ready?.id })).toBe(0);
    expect(await em().count(OrderEmail, { order: placed.id, mailinMailboxId: { $ne: null } })).toBe(2);
    expect((await em().findOneOrFail(Order, { id: placed.id })).fulfillmentStatus).toBe('waiting');
    const pending = await em().findOneOrFail(DomainTransfer, { record: moving?.id });
    expect(pending).toMatchObject({ status: 'pending', nameServerStatus: 'updated', checks: 1 });

    await new Promise((resolve) => setTimeout(resolve, 1_600));
    await runJob(em(), 'check_domain_transfers', {});
    await settled(moving?.id ?? '', ['completed']);
    expect(await em().findOneOrFail(DomainTransfer, { record: moving?.id })).toMatchObject({ status: 'completed' });
    expect(await em().count(OrderEmail, { order: placed.id, mailinMailboxId: { $ne: null } })).toBe(4);
    expect((await em().findOneOrFail(Order, { id: placed.id })).fulfillmentStatus).toBe('completed');
  });

  it('puts the order in draft when Namecheap has not allow-listed our IP, emails how to fix it, and completes once resubmitted', async () => {
    const name = domain('namecheap');
    await vendors.namecheapAccount('amamensah', 'namecheap-ama-key-0123456789', ['203.0.113.9'], [name]);
    const { order: placed, records } = await order([name], {
      registrar: { platform: 'namecheap', apiUser: 'amamensah', apiKey: 'namecheap-ama-key-0123456789' },
    });
    const draft = await settled(records[0]?.id ?? '', ['draft']);
    expect(draft.statusReason).toBe(
      `We could not set the nameservers of ${name} at Namecheap: our IP address is not on your Namecheap API allow-list. Fix it, then resubmit the order.`,
    );
    expect(await em().findOneOrFail(DomainTransfer, { record: draft.id })).toMatchObject({
      status: 'pending',
      nameServerStatus: 'failed',
      errorCode: 'ip_not_allowlisted',
      hostingPlatform: 'namecheap',
    });
    const [email, ...more] = await em().find(OutboxMessage, {
      template: 'nameserver_update_failed',
      data: { orderId: placed.id },
    });
    expect(more).toEqual([]);
    expect(email?.recipient).toBe('customer@example.com');
    expect(email?.body).toContain('add our IP address 127.0.0.1 to the whitelisted IPs');
    expect(email?.body).toContain(`http://portal.test/orders/${placed.orderCode}`);
    expect(await actions(placed.id)).toEqual(
      expect.arrayContaining(['mailin_ai_nameserver_update_failed', 'mailin_ai_order_set_to_draft']),
    );
    expect(JSON.stringify(await em().find(FulfillmentLog, { order: placed.id }))).not.toContain(
      'namecheap-ama-key-0123456789',
    );

    // The customer allow-lists our address at Namecheap, then resubmits unchanged.
    await vendors.namecheapClientIps('amamensah', ['203.0.113.9', '127.0.0.1']);
    await resubmitPrivateSmtpOrder(em(), worker.secrets, {
      orderId: placed.id,
      userId: placed.user.id,
      domains: {},
      now: new Date(),
    });
    const completed = await settled(draft.id, ['completed']);
    expect(completed.result).toMatchObject({ mailboxes: [`ama@${name}`, `sales@${name}`] });
    // It resumed where it stopped: the transfer was not asked for again.
    expect((await sandbox.calls('mailin')).endpoints['POST /mailin/api/v1/public/domains/transfer']).toBe(1);
    expect(await actions(placed.id)).toContain('mailin_ai_order_resubmitted');
    const resubmitted = await em().findOneOrFail(ActivityLog, {
      action: 'fulfillment.resubmitted',
      subjectId: draft.id,
    });
    expect(resubmitted).toMatchObject({ actorType: 'user', actorId: placed.user.id });
  });

  it('takes new credentials for a wrong Spaceship key, and a corrected domain, on resubmission', async () => {
    const [mistyped, owned] = [domain('typo'), domain('owned')];
    await vendors.spaceshipAccount('ama-key', 'ama-secret-0123456789', [owned]);
    const { order: placed, records } = await order([mistyped], {
      registrar: { platform: 'spaceship', apiKey: 'ama-key', apiSecret: 'wrong-secret' },
    });
    const draft = await settled(records[0]?.id ?? '', ['draft']);
    expect((await em().findOneOrFail(DomainTransfer, { record: draft.id })).errorCode).toBe('registrar_auth');

    await resubmitPrivateSmtpOrder(em(), worker.secrets, {
      orderId: placed.id,
      userId: placed.user.id,
      hostingPlatform: 'spaceship',
      credentials: {
        spaceshipApiKey: 'ama-key',
        spaceshipApiSecret: 'ama-secret-0123456789',
        namecheapApiUser: '',
        namecheapApiKey: '',
        namecheapIpAllowlisted: false,
        namecheapBackupCodes: '',
      },
      domains: {},
      now: new Date(),
    });
    // The right key, but the domain was mistyped: not in the account.
    await until(
      async () =>
        (await em().findOneOrFail(DomainTransfer, { record: draft.id })).errorCode === 'domain_not_in_account',
    );
    await settled(draft.id, ['draft']);
    expect(
      await em().count(OutboxMessage, { template: 'nameserver_update_failed', data: { orderId: placed.id } }),
    ).toBe(2);

    await resubmitPrivateSmtpOrder(em(), worker.secrets, {
      orderId: placed.id,
      userId: placed.user.id,
      domains: { [draft.id]: owned },
      now: new Date(),
    });
    const completed = await settled(draft.id, ['completed']);
    expect(completed.subject).toBe(owned);
    expect(completed.result).toMatchObject({ domain: owned, mailboxes: [`ama@${owned}`, `sales@${owned}`] });
    expect(await em().findOneOrFail(DomainTransfer, { record: draft.id, domainName: mistyped })).toMatchObject({
      status: 'failed',
      errorMessage: `Replaced by ${owned} at the customer's request`,
    });
    const credentials = await em().findOneOrFail(PlatformCredential, { order: placed.id });
    expect(credentials.hint).toEqual({ keyEnding: '-key' });
  });

  describe('the seed’s error cases', () => {
    it('retries a rate-limited nameserver update after the registrar’s Retry-After', async () => {
      await sandbox.setFault('spaceship', { errorRate: 1, statusCode: 429, retryAfterSeconds: 1, remaining: 1 });
      const { records } = await order([domain('throttled')]);
      const done = await settled(records[0]?.id ?? '', ['completed']);
      const attempts = await em().find(
        FulfillmentLog,
        { record: done.id, kind: 'attempt', step: 'update_nameservers' },
        { orderBy: { id: 'asc' } },
      );
      expect(attempts.map((a) => a.status)).toEqual(['failed', 'success']);
      expect((attempts[1]?.createdAt.getTime() ?? 0) - (attempts[0]?.createdAt.getTime() ?? 0)).toBeGreaterThanOrEqual(
        900,
      );
    });

    it('keeps a refused transfer failed with its error, alerts ops, and completes when ops retry it', async () => {
      await sandbox.setFault('mailin', {
        errorRate: 1,
        statusCode: 422,
        pathIncludes: '/domains/transfer',
        remaining: 1,
      });
      const { order: placed, records } = await order([domain('refused')]);
      const failed = await settled(records[0]?.id ?? '', ['failed']);
      const transfer = await em().findOneOrFail(DomainTransfer, { record: failed.id });
      expect(transfer).toMatchObject({ status: 'failed', errorCode: 'rejected' });
      expect(transfer.errorMessage).toMatch(/422/);
      expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
      expect(await actions(placed.id)).toContain('mailin_ai_domain_transfer_failed');

      expect(await retryMailboxWork(em(), { transferId: transfer.id }, STAFF, new Date())).toMatchObject({ ok: true });
      await settled(failed.id, ['completed']);
      expect(await em().findOneOrFail(DomainTransfer, { id: transfer.id })).toMatchObject({ status: 'completed' });
    });

    it('keeps a failed mailbox job failed, and makes one set of mailboxes when ops retry the batch', async () => {
      await vendors.mailinSettings({ pollsToComplete: 1000 });
      const name = domain('jobfail');
      const { order: placed, records } = await order([name]);
      const automation = await until(() => em().findOne(OrderAutomation, { order: placed.id }));
      await vendors.failJob(automation.jobUuid ?? '');
      const failed = await settled(records[0]?.id ?? '', ['failed']);
      expect(failed.lastErrorCode).toBe('mailin_job_failed');
      expect(await em().findOneOrFail(OrderAutomation, { id: automation.id })).toMatchObject({
        status: 'failed',
        errorMessage: expect.stringContaining('Mailbox provisioning failed.'),
      });
      expect(await actions(placed.id)).toContain('mailin_ai_mailbox_creation_failed');

      await vendors.mailinSettings({ pollsToComplete: 1 });
      await retryMailboxWork(em(), { automationId: automation.id }, STAFF, new Date());
      await settled(failed.id, ['completed']);
      expect((await vendors.mailboxes()).map((m) => m.username).sort()).toEqual([`ama@${name}`, `sales@${name}`]);
      expect((await em().find(OrderAutomation, { order: placed.id })).map((a) => a.status).sort()).toEqual([
        'completed',
        'failed',
      ]);
    });

    it('fails at once, alerting ops, when Mailin.ai refuses our login', async () => {
      await vendors.expireTokens();
      await sandbox.setFault('mailin', { errorRate: 1, statusCode: 422, pathIncludes: '/auth/login' });
      const { records } = await order([domain('noauth')]);
      const failed = await settled(records[0]?.id ?? '', ['failed']);
      expect(failed).toMatchObject({ lastErrorCode: 'mailin_auth', attempts: 0 });
      expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
      await sandbox.clearFault('mailin');
    });

    it('tries the domain status again after a network error, and creates the mailboxes once Mailin.ai is back', async () => {
      await sandbox.setFault('mailin', { errorRate: 1, statusCode: 503, pathIncludes: '/domains?', remaining: 2 });
      const { records } = await order([domain('flaky')]);
      const done = await settled(records[0]?.id ?? '', ['completed']);
      const attempts = await em().find(FulfillmentLog, {
        record: done.id,
        kind: 'attempt',
        step: 'check_domain_status',
      });
      expect(attempts.map((a) => a.status).sort()).toEqual(['failed', 'failed', 'success']);
    });

    it('sends a mailbox creation retried after an outage under the same key: one job, one set', async () => {
      await sandbox.setFault('mailin', { errorRate: 1, statusCode: 502, pathIncludes: '/mailboxes', remaining: 1 });
      const name = domain('retried');
      const { records } = await order([name]);
      const done = await settled(records[0]?.id ?? '', ['completed']);
      const calls = await sandbox.calls('mailin');
      expect(calls.endpoints['POST /mailin/api/v1/public/mailboxes']).toBe(2);
      expect(calls.idempotencyKeys[`${done.id}:create_mailboxes`]).toBe(2);
      expect((await vendors.jobs()).length).toBe(1);
    });

    it('never creates a domain’s mailboxes twice: a delivered record is not re-run', async () => {
      const name = domain('twice');
      const { records } = await order([name]);
      const done = await settled(records[0]?.id ?? '', ['completed']);
      await expect(rerunFromStep(em(), done.id, 'check_domain', STAFF, new Date())).rejects.toThrow(
        /order it again at the provider/,
      );
      expect((await em().findOneOrFail(FulfillmentRecord, { id: done.id })).status).toBe('completed');
      expect((await vendors.jobs()).length).toBe(1);
      expect(await em().count(OrderEmail, { record: done.id })).toBe(2);
    });
  });

  it('logs in again when the token expires mid-run, and carries on', async () => {
    await vendors.mailinSettings({ pollsToComplete: 1000 });
    const name = domain('expiry');
    const { records } = await order([name]);
    await until(() => em().findOne(OrderAutomation, { domain: name }));
    const issued = async () => ((await vendors.tokens()) as { issued: number }).issued;
    const before = await issued();
    await vendors.expireTokens();
    await vendors.mailinSettings({ pollsToComplete: 1 });
    const done = await settled(records[0]?.id ?? '', ['completed']);
    const polls = await em().find(
      FulfillmentLog,
      { record: done.id, kind: 'provider_call', step: 'await_mailboxes' },
      { orderBy: { id: 'asc' } },
    );
    const statuses = polls.map((p) => [p.method, p.url?.replace(/^.*\/public\//, ''), p.httpStatus]);
    const expired = statuses.findIndex(([, , status]) => status === 401);
    expect(expired).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(expired)).toEqual([
      ['GET', expect.stringMatching(/^mailboxes\/status\//), 401],
      ['POST', 'auth/login', 200],
      ['GET', expect.stringMatching(/^mailboxes\/status\//), 200],
    ]);
    expect(await issued()).toBe(before + 1);
  });

  it('asks Mailin.ai about a delivered domain when reconciling, and alerts ops when it no longer has it', async () => {
    const name = domain('reconciled');
    const { records } = await order([name]);
    const done = await settled(records[0]?.id ?? '', ['completed']);
    await runJob(em(), 'sync_record', { recordId: done.id });
    expect(await em().findOneOrFail(FulfillmentLog, { record: done.id, kind: 'sync' })).toMatchObject({
      status: 'success',
      errorMessage: 'The provider says active',
    });

    // Mailin.ai forgets everything (the sandbox is reset): the domain is missing there.
    await sandbox.reset();
    await runJob(em(), 'sync_record', { recordId: done.id });
    expect(await em().count(AdminAlert, { type: 'provider_drift', subjectId: done.id })).toBe(1);
  });

  it('fails the mailbox job after the poll limit, marking it failed for a retry', async () => {
    const strict = await createPrivateSmtpProduct(em(), { slug: 'private-smtp-strict', config: { maxPolls: 3 } });
    await vendors.mailinSettings({ pollsToComplete: null, completeAfterMs: null });
    const { order: placed, records } = await order([domain('slow')], { on: strict });
    const failed = await settled(records[0]?.id ?? '', ['failed']);
    expect(failed.lastErrorCode).toBe('poll_limit');
    const polls = await em().find(FulfillmentLog, {
      record: failed.id,
      kind: 'provider_call',
      step: 'await_mailboxes',
    });
    expect(polls).toHaveLength(3);
    expect(await em().findOneOrFail(OrderAutomation, { order: placed.id })).toMatchObject({
      status: 'failed',
      errorMessage: expect.stringContaining('after 3 checks'),
    });
    expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
  });
});
