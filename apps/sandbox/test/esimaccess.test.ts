import { createHmac, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { esimAccessEmulator } from '../src/emulators/esimaccess';
import { createSandbox } from '../src/sandbox';

const ACCESS_CODE = 'esimaccess-test-access-code';
const SECRET_KEY = 'esimaccess-test-secret-key-0123';

/** The fields of `obj` these tests read, across the endpoints they call. */
type Obj = { orderNo: string; esimList: Profile[]; packageList: { packageCode: string }[]; totalVolume: number };
type Envelope = { success: boolean; errorCode: string | null; errorMsg: string | null; obj: Obj };
type Profile = {
  iccid: string;
  esimTranNo: string;
  ac: string;
  qrCodeUrl: string;
  esimStatus: string;
  totalVolume: number;
};

describe('eSIM Access emulator', () => {
  let app: FastifyInstance;
  let base: string;

  /** Signs as the documentation says: HMAC-SHA256 of timestamp + request id + access code + body. */
  const api = async (path: string, body: unknown = {}, options: { signature?: string; timestamp?: string } = {}) => {
    const json = JSON.stringify(body);
    const timestamp = options.timestamp ?? String(Date.now());
    const requestId = randomUUID().replace(/-/g, '');
    const signature =
      options.signature ??
      createHmac('sha256', SECRET_KEY).update(`${timestamp}${requestId}${ACCESS_CODE}${json}`).digest('hex');
    const res = await fetch(`${base}/esimaccess/api/v1/open${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'RT-AccessCode': ACCESS_CODE,
        'RT-Timestamp': timestamp,
        'RT-RequestID': requestId,
        'RT-Signature': signature,
      },
      body: json,
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Envelope;
  };
  const order = (transactionId: string, packageCode = 'JC016') =>
    api('/esim/order', { transactionId, packageInfoList: [{ packageCode, count: 1 }] });
  const profileOf = async (orderNo: string) =>
    (
      (await api('/esim/query', { orderNo, pager: { pageNum: 1, pageSize: 10 } })).obj.esimList as Profile[]
    )[0] as Profile;
  const control = (path: string, method = 'GET', body?: unknown) =>
    fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const local = (url: string) => url.replace('http://sandbox.test', base);

  beforeAll(async () => {
    app = await createSandbox({
      emulators: [esimAccessEmulator({ accessCode: ACCESS_CODE, secretKey: SECRET_KEY })],
      publicUrl: 'http://sandbox.test',
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('orders a profile whose QR code is a real PNG of its LPA activation code', async () => {
    const placed = await order('rec-1:esim_activate');
    expect(placed).toMatchObject({ success: true, errorCode: '0', obj: { orderNo: expect.stringMatching(/^B\d+$/) } });
    const profile = await profileOf(placed.obj.orderNo);
    expect(profile).toMatchObject({
      esimStatus: 'GOT_RESOURCE',
      smdpStatus: 'RELEASED',
      iccid: expect.stringMatching(/^89\d{18}$/),
      ac: expect.stringMatching(/^LPA:1\$smdp\.esimaccess\.sandbox\$[0-9A-F]{32}$/),
      totalVolume: 1024 ** 3,
    });

    const qr = await fetch(local(profile.qrCodeUrl));
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toBe('image/png');
    const png = PNG.sync.read(Buffer.from(await qr.arrayBuffer()));
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(profile.ac);
  });

  it('returns the first order for a repeated transactionId and refuses it for a different order', async () => {
    const first = await order('rec-2:esim_activate');
    expect((await order('rec-2:esim_activate')).obj.orderNo).toBe(first.obj.orderNo);
    expect(await order('rec-2:esim_activate', 'JC017')).toMatchObject({ success: false, errorCode: '200008' });
    const listed = (await (await control('/esimaccess/profiles')).json()) as { profiles: unknown[] };
    expect(listed.profiles).toHaveLength(1);
  });

  it('refuses a bad signature, a stale timestamp, an unknown package and an empty balance with documented codes', async () => {
    expect(await api('/balance/query', {}, { signature: 'f'.repeat(64) })).toMatchObject({
      success: false,
      errorCode: '101003',
    });
    expect(await api('/balance/query', {}, { timestamp: String(Date.now() - 10 * 60_000) })).toMatchObject({
      errorCode: '101001',
    });
    expect(await order('rec-3', 'NOPE')).toMatchObject({ success: false, errorCode: '310241' });
    await control('/esimaccess/balance', 'PUT', { balance: 0 });
    expect(await order('rec-4')).toMatchObject({
      success: false,
      errorCode: '200007',
      errorMsg: 'Insufficient balance',
    });
    const unsigned = await fetch(`${base}/esimaccess/api/v1/open/balance/query`, { method: 'POST' });
    expect(await unsigned.json()).toMatchObject({ success: false, errorCode: '000101' });
  });

  it('answers 200010 while a profile is still being allocated', async () => {
    await control('/esimaccess/allocation', 'PUT', { pendingQueries: 1 });
    const placed = await order('rec-5');
    const pending = await api('/esim/query', { orderNo: placed.obj.orderNo, pager: { pageNum: 1, pageSize: 10 } });
    expect(pending).toMatchObject({ success: false, errorCode: '200010' });
    expect(await profileOf(placed.obj.orderNo)).toMatchObject({ esimStatus: 'GOT_RESOURCE' });
  });

  it('reissues by ordering a new profile and revoking the old one, whose QR and activation code are then refused', async () => {
    const old = await profileOf((await order('rec-6:esim_activate')).obj.orderNo);
    const fresh = await profileOf((await order('rec-6:esim_reissue')).obj.orderNo);
    expect(await api('/esim/revoke', { iccid: old.iccid })).toMatchObject({ success: true });
    expect(await api('/esim/revoke', { iccid: old.iccid })).toMatchObject({ success: false, errorCode: '200002' });
    expect(
      (await api('/esim/query', { iccid: old.iccid, pager: { pageNum: 1, pageSize: 5 } })).obj.esimList[0],
    ).toMatchObject({
      esimStatus: 'REVOKED',
    });
    expect((await fetch(local(old.qrCodeUrl))).status).toBe(410);
    expect((await control('/esimaccess/install', 'POST', { activationCode: old.ac })).status).toBe(409);
    const installed = await control('/esimaccess/install', 'POST', { activationCode: fresh.ac });
    expect(await installed.json()).toMatchObject({ iccid: fresh.iccid, esimStatus: 'IN_USE', smdpStatus: 'ENABLED' });
  });

  it('lists the top-ups that fit a profile and applies one once per transactionId', async () => {
    const profile = await profileOf((await order('rec-7')).obj.orderNo);
    const topUps = await api('/package/list', { type: 'TOPUP', iccid: profile.iccid });
    expect(topUps.obj.packageList.map((p) => p.packageCode)).toEqual(['TOPUP_JC016', 'TOPUP_JC017']);
    const applied = await api('/esim/topup', {
      iccid: profile.iccid,
      packageCode: 'TOPUP_JC017',
      transactionId: 'rec-7:topup',
    });
    expect(applied).toMatchObject({
      success: true,
      obj: { iccid: profile.iccid, totalVolume: 6 * 1024 ** 3, totalDuration: 37 },
    });
    const again = await api('/esim/topup', {
      iccid: profile.iccid,
      packageCode: 'TOPUP_JC017',
      transactionId: 'rec-7:topup',
    });
    expect(again.obj.totalVolume).toBe(6 * 1024 ** 3);
    expect(
      await api('/esim/topup', { iccid: profile.iccid, packageCode: 'TOPUP_UC010', transactionId: 'x' }),
    ).toMatchObject({
      errorCode: '310241',
    });
  });

  it('reports status and usage, including a state set through the control API, and takes an injected fault', async () => {
    const profile = await profileOf((await order('rec-8')).obj.orderNo);
    await control(`/esimaccess/profiles/${profile.iccid}`, 'PUT', { esimStatus: 'IN_USE', orderUsage: 1024 });
    expect(await api('/esim/usage/query', { esimTranNoList: [profile.esimTranNo] })).toMatchObject({
      success: true,
      obj: [{ esimTranNo: profile.esimTranNo, dataUsage: 1024, totalData: 1024 ** 3 }],
    });
    await control('/faults/esimaccess', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    const faulted = await fetch(`${base}/esimaccess/api/v1/open/balance/query`, { method: 'POST' });
    expect(faulted.status).toBe(503);
  });
});
