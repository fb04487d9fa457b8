import { requestEsimReissue, retryRecords, revealEsim, syncRecord } from '@handover/core';
import {
  AdminAlert,
  EsimProfile,
  FulfillmentLog,
  FulfillmentRecord,
  FulfillmentStep,
  Notification,
  OutboxMessage,
  RecordAction,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createEsimProduct,
  createEsimTopUpProduct,
  ESIM_SANDBOX_ENV,
  esimAdapters,
  type SandboxEsim,
} from './support/esim';
import { placeOrder, settledRecord, until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker } from './support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from './support/sandbox';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('esim driver (seed 004): activate, reissue, top-up and status sync against eSIM Access', () => {
  const db = useTestDatabase({ poolMax: 10 });
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let n = 0;
  const em = () => db.orm.em.fork();

  const settled = (id: string, statuses: string[]) => settledRecord(em, id, statuses);
  const sandboxProfiles = async () =>
    (await sandbox.control<{ profiles: SandboxEsim[] }>('/_control/esimaccess/profiles')).profiles;
  /** A device scanning the activation code: the SM-DP+ answers 200, or 409 for a disabled profile. */
  const install = (activationCode: string) =>
    fetch(`${sandbox.url}/_control/esimaccess/install`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ activationCode }),
    });
  const deliver = async (email = 'traveller@example.com') => {
    const product = await createEsimProduct(em(), { slug: `esim-${++n}` });
    const { order, records } = await placeOrder(em(), worker.registry, product, [{ label: "Ama's phone" }], { email });
    const record = await settled(records[0]?.id ?? '', ['completed']);
    return { order, record };
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox(ESIM_SANDBOX_ENV);
    worker = await startInProcessWorker(db, esimAdapters(sandbox.url));
  });
  afterAll(async () => {
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  it('activates: one eSIM Access order under the record key, the profile kept encrypted, its QR code and activation code shown on request', async () => {
    const { order, record } = await deliver();
    const [profile, ...others] = await sandboxProfiles();
    expect(others).toEqual([]);
    expect(profile?.transactionId).toBe(`${record.id}:order_esim`);
    expect(record).toMatchObject({ subject: "Ama's phone", externalReferenceId: profile?.iccid });
    expect(record.result).toMatchObject({ ICCID: profile?.iccid, Plan: 'JC016', Data: '1 GB' });

    const stored = await em().findOneOrFail(EsimProfile, { record: record.id });
    expect(stored.activationCodeEncrypted).not.toContain('LPA:');
    expect(stored.activationCodeEncrypted.startsWith('v1.')).toBe(true);
    expect(JSON.stringify(record.result)).not.toContain('LPA:');
    const logs = await em().find(FulfillmentLog, { record: record.id });
    expect(JSON.stringify(logs)).not.toContain(profile?.ac);

    const shown = await revealEsim(em(), worker.secrets, {
      recordId: record.id,
      ownerId: order.user.id,
      actor: { type: 'user', id: order.user.id },
    });
    expect(shown).toMatchObject({
      iccid: profile?.iccid,
      activationCode: profile?.ac,
      smdpAddress: 'smdp.esimaccess.sandbox',
    });
    // The image is the provider's own QR code, byte for byte.
    const served = Buffer.from(await (await fetch(profile?.qrCodeUrl ?? '')).arrayBuffer());
    const image = Buffer.from((shown.qrCode ?? '').replace(/^data:image\/png;base64,/, ''), 'base64');
    expect(image.subarray(0, 8)).toEqual(PNG_SIGNATURE);
    expect(image.equals(served)).toBe(true);
    // Another customer is answered as if there were no such eSIM.
    await expect(
      revealEsim(em(), worker.secrets, {
        recordId: record.id,
        ownerId: '00000000-0000-4000-8000-000000000000',
        actor: { type: 'system' },
      }),
    ).rejects.toThrow('No eSIM with this id in your account.');
  });

  it('reissues at the customer request: a new profile, and the old QR code and activation code stop working at eSIM Access', async () => {
    const { order, record } = await deliver('reissue@example.com');
    const [old] = await sandboxProfiles();
    if (!old) throw new Error('no profile');
    expect((await install(old.ac)).status).toBe(200);

    const requests = await Promise.allSettled([
      requestEsimReissue(em(), worker.registry, { recordId: record.id, userId: order.user.id, now: new Date() }),
      requestEsimReissue(em(), worker.registry, { recordId: record.id, userId: order.user.id, now: new Date() }),
    ]);
    // Two clicks at once: one reissue.
    expect(requests.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(requests.find((r) => r.status === 'rejected')).toMatchObject({
      reason: { message: 'That is already under way; it takes a few seconds.' },
    });
    const done = await until(() => em().findOne(RecordAction, { record: record.id, status: { $ne: 'pending' } }), {
      what: 'the reissue',
    });
    expect(done).toMatchObject({ status: 'succeeded', error: null });

    const profiles = await sandboxProfiles();
    const fresh = profiles.find((p) => p.iccid !== old.iccid);
    expect(profiles.find((p) => p.iccid === old.iccid)?.esimStatus).toBe('REVOKED');
    expect((await fetch(old.qrCodeUrl)).status).toBe(410);
    expect((await install(old.ac)).status).toBe(409);
    expect((await install(fresh?.ac ?? '')).status).toBe(200);

    const after = await em().findOneOrFail(FulfillmentRecord, record.id);
    expect(after).toMatchObject({ status: 'completed', externalReferenceId: fresh?.iccid });
    const shown = await revealEsim(em(), worker.secrets, {
      recordId: record.id,
      ownerId: order.user.id,
      actor: { type: 'user', id: order.user.id },
    });
    expect(shown.activationCode).toBe(fresh?.ac);
    expect(await em().findOneOrFail(EsimProfile, { iccid: old.iccid })).toMatchObject({ status: 'REVOKED' });
    expect(await em().count(Notification, { user: order.user.id, type: 'record_action_completed' })).toBe(1);
  });

  it('tops up: the add-on, bought as an order of its own, is applied once to the customer eSIM', async () => {
    const { record } = await deliver('topup@example.com');
    const topUp = await createEsimTopUpProduct(em(), `top-up-${n}`);
    const iccid = record.externalReferenceId ?? '';
    const { records } = await placeOrder(em(), worker.registry, topUp, [{ iccid }], { email: 'topup@example.com' });
    const applied = await settled(records[0]?.id ?? '', ['active']);
    expect(applied.result).toMatchObject({ eSIM: iccid, 'Data on the eSIM now': '2 GB' });
    expect((await sandboxProfiles()).find((p) => p.iccid === iccid)?.totalVolume).toBe(2 * 1024 ** 3);
    expect(await em().findOneOrFail(EsimProfile, { iccid })).toMatchObject({ totalVolumeBytes: 2 * 1024 ** 3 });

    // Someone else's eSIM is refused, and nothing is applied to it.
    const stranger = await placeOrder(em(), worker.registry, topUp, [{ iccid }], { email: 'stranger@example.com' });
    const refused = await settled(stranger.records[0]?.id ?? '', ['failed']);
    expect(refused).toMatchObject({ lastErrorCode: 'esim_not_found' });
    expect((await sandboxProfiles()).find((p) => p.iccid === iccid)?.totalVolume).toBe(2 * 1024 ** 3);
  });

  it('syncs status: an installed eSIM reads as in use; one revoked behind our back alerts ops', async () => {
    const { record } = await deliver('sync@example.com');
    const iccid = record.externalReferenceId ?? '';
    await sandbox.control(`/_control/esimaccess/profiles/${iccid}`, 'PUT', {
      esimStatus: 'IN_USE',
      orderUsage: 1024 ** 2,
    });
    expect(await syncRecord(worker.deps.engine, record.id, { attempt: 1 })).toBe('in_step');
    expect(await em().findOneOrFail(EsimProfile, { iccid })).toMatchObject({ status: 'IN_USE', usedBytes: 1024 ** 2 });

    await sandbox.control(`/_control/esimaccess/profiles/${iccid}`, 'PUT', { esimStatus: 'CANCEL' });
    expect(await syncRecord(worker.deps.engine, record.id, { attempt: 1 })).toBe('drifted');
    expect(await em().findOneOrFail(AdminAlert, { type: 'provider_drift', subjectId: record.id })).toMatchObject({
      severity: 'critical',
    });
  });

  it('fails with eSIM Access error fields when it refuses, undoes nothing it did not make, and a retry once fixed delivers', async () => {
    await sandbox.control('/_control/esimaccess/balance', 'PUT', { balance: 0 });
    const product = await createEsimProduct(em(), { slug: `esim-${++n}` });
    const { order, records } = await placeOrder(em(), worker.registry, product, [{ label: '' }], {
      email: 'broke@example.com',
    });
    const failed = await settled(records[0]?.id ?? '', ['failed']);
    expect(failed).toMatchObject({ lastErrorCode: 'insufficient_balance' });
    expect(await em().findOneOrFail(FulfillmentStep, { record: failed.id, status: 'failed' })).toMatchObject({
      name: 'order_esim',
    });
    expect(failed.lastError).toContain('200007');
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(await em().count(AdminAlert, { type: 'fulfillment_failure', subjectId: failed.id })).toBe(1);
    expect(await em().count(OutboxMessage, { recipient: 'broke@example.com', template: 'fulfillment_failed' })).toBe(1);

    await sandbox.control('/_control/esimaccess/balance', 'PUT', { balance: 10_000_000 });
    const [retried] = await retryRecords(em(), [failed.id], { type: 'system' }, new Date());
    expect(retried).toMatchObject({ ok: true });
    const delivered = await settled(failed.id, ['completed']);
    expect(delivered.lastError).toBeNull();
    expect(await em().count(EsimProfile, { order: order.id })).toBe(1);
  });

  it('waits while eSIM Access prepares the profile, then delivers it', async () => {
    await sandbox.control('/_control/esimaccess/allocation', 'PUT', { pendingQueries: 1 });
    const product = await createEsimProduct(em(), { slug: `esim-${++n}` });
    const { records } = await placeOrder(em(), worker.registry, product, [{ label: '' }], {
      email: 'wait@example.com',
    });
    const waiting = await settled(records[0]?.id ?? '', ['awaiting_provider']);
    expect(waiting.statusReason).toBe('Your eSIM profile is being prepared; this takes a few seconds');
    await settled(waiting.id, ['completed']);
  });
});
