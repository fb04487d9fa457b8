import { randomBytes } from 'node:crypto';
import {
  ActivityLog,
  EsimProfile,
  InventoryItem,
  InventoryPool,
  Order,
  OrderEmail,
  PlatformCredential,
} from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import {
  approveOrderForProvisioning,
  beginIdempotentRequest,
  ConflictError,
  claimNonce,
  completeIdempotentRequest,
  getCustomerOrder,
  listCustomerOrders,
  NotFoundError,
  planMailboxes,
  REDACTED,
  releaseIdempotentRequest,
  rotateEncryptedColumns,
  SecretBox,
  saveEsimProfile,
  savePlatformCredentials,
} from '../src';
import { manualClock } from './accountsFixtures';
import { createOrder, fulfillJobs } from './orderFixtures';

const key = (id: string) => ({ id, key: randomBytes(32) });

describe('secrets at rest', () => {
  const db = useTestDatabase();

  it('rotation re-encrypts every inventory secret under the new key, and they still decrypt', async () => {
    const oldKey = key('old');
    const before = new SecretBox([oldKey]);
    const em = db.orm.em.fork();
    const pool = em.create(InventoryPool, { slug: 'rotation', name: 'Rotation' });
    for (let i = 0; i < 450; i++) {
      em.create(InventoryItem, { pool, email: `acct${i}@outlook.test`, secretEncrypted: before.encrypt(`Pass-${i}!`) });
    }
    await em.flush();

    const newKey = key('new');
    const after = new SecretBox([newKey, oldKey]);
    expect(await rotateEncryptedColumns(db.orm.em.fork(), after)).toContainEqual({
      table: 'inventory_items',
      column: 'secret_encrypted',
      rotated: 450,
    });
    const items = await db.orm.em.fork().find(InventoryItem, { pool: pool.id }, { orderBy: { email: 'asc' } });
    expect(items.every((item) => after.keyIdOf(item.secretEncrypted) === 'new')).toBe(true);
    const onlyNew = new SecretBox([newKey]);
    const acct7 = items.find((item) => item.email === 'acct7@outlook.test');
    expect(onlyNew.decrypt(acct7?.secretEncrypted ?? '')).toBe('Pass-7!');

    expect(await rotateEncryptedColumns(db.orm.em.fork(), after)).toContainEqual({
      table: 'inventory_items',
      column: 'secret_encrypted',
      rotated: 0,
    });
  });
});

describe('secrets at rest of private SMTP orders', () => {
  const db = useTestDatabase();

  it('rotation covers customers’ registrar credentials and mailbox passwords (seed 001)', async () => {
    const oldKey = key('old2');
    const before = new SecretBox([oldKey]);
    const em = db.orm.em.fork();
    const saved = await savePlatformCredentials(em, before, {
      email: 'ama@example.com',
      credentials: { platform: 'spaceship', apiKey: 'sk-123456', apiSecret: 'very-secret' },
    });
    const { order, records } = await createOrder(em, { email: 'ama@example.com', recordStatuses: ['processing'] });
    const [mailbox] = await planMailboxes(em, before, {
      orderId: order.id,
      userId: order.user.id,
      recordId: records[0]?.id ?? '',
      domain: 'brightbakery.com',
      variants: [{ prefix: 'ama', firstName: 'Ama', lastName: 'Mensah' }],
    });

    const after = new SecretBox([key('new2'), oldKey]);
    const rotated = await rotateEncryptedColumns(db.orm.em.fork(), after);
    expect(rotated).toEqual(
      expect.arrayContaining([
        { table: 'platform_credentials', column: 'credentials_encrypted', rotated: 1 },
        { table: 'order_emails', column: 'password_encrypted', rotated: 1 },
      ]),
    );
    const row = await db.orm.em.fork().findOneOrFail(PlatformCredential, { id: saved.id });
    expect(after.keyIdOf(row.credentialsEncrypted)).toBe('new2');
    expect(JSON.parse(after.decrypt(row.credentialsEncrypted))).toMatchObject({ apiSecret: 'very-secret' });
    const email = await db.orm.em.fork().findOneOrFail(OrderEmail, { email: 'ama@brightbakery.com' });
    expect(after.keyIdOf(email.passwordEncrypted)).toBe('new2');
    expect(after.decrypt(email.passwordEncrypted)).toBe(mailbox?.password);
  });
});

describe('secrets at rest of eSIM profiles', () => {
  const db = useTestDatabase();

  it('rotation covers an eSIM profile activation code and QR code (seed 004), which still decrypt', async () => {
    const oldKey = key('old3');
    const before = new SecretBox([oldKey]);
    const em = db.orm.em.fork();
    const { order, records } = await createOrder(em, { email: 'kenji@example.com', recordStatuses: ['completed'] });
    const activationCode = 'LPA:1$smdp.example$0123456789ABCDEF';
    await saveEsimProfile(
      em,
      before,
      { recordId: records[0]?.id ?? '', orderId: order.id, userId: order.user.id },
      {
        iccid: '8985224528000000001',
        esimTranNo: '2612030001',
        providerOrderNo: 'B26120300001',
        packageCode: 'JC016',
        status: 'GOT_RESOURCE',
        smdpStatus: 'RELEASED',
        activationCode,
        totalVolumeBytes: 1024 ** 3,
        usedBytes: 0,
        expiresAt: null,
        qrPng: Buffer.from('png bytes'),
      },
    );
    const after = new SecretBox([key('new3'), oldKey]);
    expect(await rotateEncryptedColumns(db.orm.em.fork(), after)).toEqual(
      expect.arrayContaining([
        { table: 'esim_profiles', column: 'activation_code_encrypted', rotated: 1 },
        { table: 'esim_profiles', column: 'qr_code_encrypted', rotated: 1 },
      ]),
    );
    const profile = await db.orm.em.fork().findOneOrFail(EsimProfile, { iccid: '8985224528000000001' });
    expect(after.keyIdOf(profile.activationCodeEncrypted)).toBe('new3');
    expect(after.decrypt(profile.activationCodeEncrypted)).toBe(activationCode);
    expect(Buffer.from(after.decrypt(profile.qrCodeEncrypted ?? ''), 'base64').toString()).toBe('png bytes');
  });
});

describe('operator replay protection', () => {
  const db = useTestDatabase();

  it('accepts a nonce once, and again only after it has expired', async () => {
    const clock = manualClock();
    const until = new Date(clock.now().getTime() + 10 * 60_000);
    expect(await claimNonce(db.orm.em.fork(), 'nonce-a', until, clock)).toBe(true);
    expect(await claimNonce(db.orm.em.fork(), 'nonce-a', until, clock)).toBe(false);
    clock.advance(10 * 60_000 + 1);
    expect(await claimNonce(db.orm.em.fork(), 'nonce-a', until, clock)).toBe(true);
  });

  it('replays the first answer to an idempotency key, and refuses the key with another body', async () => {
    const clock = manualClock();
    const request = { scope: 'test', key: 'idem-1', method: 'POST', path: '/x', body: Buffer.from('{"a":1}') };
    expect(await beginIdempotentRequest(db.orm.em.fork(), request, clock)).toEqual({ kind: 'proceed' });
    expect(await beginIdempotentRequest(db.orm.em.fork(), request, clock)).toEqual({ kind: 'in_progress' });
    await completeIdempotentRequest(db.orm.em.fork(), request, { status: 200, body: { ok: true } }, clock);
    expect(await beginIdempotentRequest(db.orm.em.fork(), request, clock)).toEqual({
      kind: 'replay',
      status: 200,
      body: { ok: true },
    });
    expect(await beginIdempotentRequest(db.orm.em.fork(), { ...request, body: Buffer.from('{"a":2}') }, clock)).toEqual(
      { kind: 'mismatch' },
    );
  });

  it('frees a key whose request failed on our side, so the retry runs', async () => {
    const clock = manualClock();
    const request = { scope: 'test', key: 'idem-2', method: 'POST', path: '/x', body: Buffer.alloc(0) };
    await beginIdempotentRequest(db.orm.em.fork(), request, clock);
    await releaseIdempotentRequest(db.orm.em.fork(), request);
    expect(await beginIdempotentRequest(db.orm.em.fork(), request, clock)).toEqual({ kind: 'proceed' });
  });
});

describe('orders', () => {
  const db = useTestDatabase();

  it('approves an order pending review and enqueues each queued record, once', async () => {
    const { order, records } = await createOrder(db.orm.em.fork(), {
      email: 'review@example.com',
      status: 'pending_review',
      recordStatuses: ['queued', 'queued', 'completed'],
    });
    const approved = await approveOrderForProvisioning(db.orm.em.fork(), order.id, { type: 'api', id: 'operator-api' });
    expect(approved.status).toBe('approved');
    expect(approved.enqueuedRecordIds).toEqual([records[0]?.id, records[1]?.id]);
    const jobs = await fulfillJobs(db.orm.em.fork());
    expect(jobs.map((job) => job.recordId).sort()).toEqual([records[0]?.id, records[1]?.id].sort());
    expect((await db.orm.em.fork().findOneOrFail(Order, order.id)).status).toBe('approved');
    expect(await db.orm.em.fork().count(ActivityLog, { action: 'order.approved', subjectId: order.id })).toBe(1);

    await expect(
      approveOrderForProvisioning(db.orm.em.fork(), order.id, { type: 'api', id: 'operator-api' }),
    ).rejects.toThrow(ConflictError);
    await expect(
      approveOrderForProvisioning(db.orm.em.fork(), '00000000-0000-4000-8000-000000000000', {
        type: 'api',
        id: 'operator-api',
      }),
    ).rejects.toThrow(NotFoundError);
  });

  it("gives a customer their own orders, with credentials in the form hidden, and never another customer's", async () => {
    const mine = await createOrder(db.orm.em.fork(), {
      email: 'mine@example.com',
      input: { domain: 'mine.example', spaceship_api_key: 'sk-live-abc' },
    });
    const theirs = await createOrder(db.orm.em.fork(), { email: 'theirs@example.com' });
    const userId = mine.order.user.id;

    const list = await listCustomerOrders(db.orm.em.fork(), userId);
    expect(list.map((order) => order.id)).toEqual([mine.order.id]);
    expect(list[0]?.items[0]?.input).toEqual({ domain: 'mine.example', spaceship_api_key: REDACTED });
    expect(JSON.stringify(list)).not.toContain('sk-live-abc');

    await expect(getCustomerOrder(db.orm.em.fork(), userId, { id: theirs.order.id })).rejects.toThrow(NotFoundError);
    expect((await getCustomerOrder(db.orm.em.fork(), userId, { id: mine.order.id })).orderCode).toBe(
      mine.order.orderCode,
    );
  });
});
