import type { AddressInfo } from 'node:net';
import { captureProviderCalls, PermanentError, TransientError } from '@handover/core';
import { createSandbox, esimAccessEmulator } from '@handover/sandbox';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { esimAccessEnvSchema } from '../src/drivers/esim/env';
import { EsimAccessClient } from '../src/drivers/esim/esimAccessClient';

const ACCESS_CODE = 'esim-client-test-access-code';
const SECRET_KEY = 'esim-client-test-secret-key-012';

describe('EsimAccessClient against the sandbox emulator', () => {
  let sandbox: Awaited<ReturnType<typeof createSandbox>>;
  let base: string;
  let client: EsimAccessClient;

  const control = async (path: string, method = 'GET', body?: unknown) => {
    const res = await fetch(`${base}/_control${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };
  const profiles = async () => ((await control('/esimaccess/profiles')) as { profiles: unknown[] }).profiles;
  const local = (url: string) => url.replace('http://sandbox.test', base);

  beforeAll(async () => {
    sandbox = await createSandbox({
      emulators: [esimAccessEmulator({ accessCode: ACCESS_CODE, secretKey: SECRET_KEY })],
      publicUrl: 'http://sandbox.test',
      hangMs: 2_000,
    });
    await sandbox.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(sandbox.server.address() as AddressInfo).port}`;
    client = new EsimAccessClient({
      baseUrl: `${base}/esimaccess`,
      accessCode: ACCESS_CODE,
      secretKey: SECRET_KEY,
      timeoutMs: 500,
    });
  });
  afterAll(() => sandbox.close());
  beforeEach(async () => {
    await control('/reset', 'POST');
  });

  it('activates a profile whose QR code URL serves a PNG of its activation code, once per idempotency key', async () => {
    const profile = await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-1:esim_activate' });
    expect(profile).toMatchObject({
      iccid: expect.stringMatching(/^89\d{18}$/),
      activationCode: expect.stringMatching(/^LPA:1\$smdp\.esimaccess\.sandbox\$[0-9A-F]{32}$/),
      smdpAddress: 'smdp.esimaccess.sandbox',
      status: 'GOT_RESOURCE',
      packageCode: 'JC016',
      totalVolumeBytes: 1024 ** 3,
    });
    expect(profile.activationCode).toBe(`LPA:1$${profile.smdpAddress}$${profile.matchingId}`);
    const qr = await fetch(local(profile.qrCodeUrl));
    expect(qr.headers.get('content-type')).toBe('image/png');
    const png = Buffer.from(await qr.arrayBuffer());
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

    expect(await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-1:esim_activate' })).toEqual(profile);
    expect(await profiles()).toHaveLength(1);
  });

  it('reports a profile still being allocated as transient, and finds it on the next try with the same key', async () => {
    await control('/esimaccess/allocation', 'PUT', { pendingQueries: 1 });
    const pending = await client
      .activate({ packageCode: 'JC016', idempotencyKey: 'record-2:esim_activate' })
      .catch((e) => e);
    expect(pending).toBeInstanceOf(TransientError);
    expect(pending).toMatchObject({ code: 'profile_not_ready', options: { retryAfterMs: 5_000 } });
    const profile = await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-2:esim_activate' });
    expect(profile.status).toBe('GOT_RESOURCE');
    expect(await profiles()).toHaveLength(1);
  });

  it('reissues a profile: a new one of the same package, the old one revoked and its QR refused, safe to retry', async () => {
    const old = await client.activate({ packageCode: 'JC017', idempotencyKey: 'record-3:esim_activate' });
    const fresh = await client.reissue({ iccid: old.iccid, idempotencyKey: 'record-3:esim_reissue' });
    expect(fresh.iccid).not.toBe(old.iccid);
    expect(fresh).toMatchObject({ packageCode: 'JC017', status: 'GOT_RESOURCE' });
    expect(await client.status(old.iccid)).toMatchObject({ status: 'REVOKED' });
    expect((await fetch(local(old.qrCodeUrl))).status).toBe(410);
    expect(await client.reissue({ iccid: old.iccid, idempotencyKey: 'record-3:esim_reissue' })).toMatchObject({
      iccid: fresh.iccid,
    });
    expect(await profiles()).toHaveLength(2);
  });

  it('lists the top-ups that fit and applies one once per idempotency key', async () => {
    const profile = await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-4:esim_activate' });
    const topUps = await client.listTopUps(profile.iccid);
    expect(topUps).toEqual([
      expect.objectContaining({ packageCode: 'TOPUP_JC016', volumeBytes: 1024 ** 3, durationDays: 7 }),
      expect.objectContaining({ packageCode: 'TOPUP_JC017', volumeBytes: 5 * 1024 ** 3, durationDays: 30 }),
    ]);
    const request = { iccid: profile.iccid, packageCode: 'TOPUP_JC017', idempotencyKey: 'record-4:topup-1' };
    expect(await client.topUp(request)).toMatchObject({ totalVolumeBytes: 6 * 1024 ** 3, totalDurationDays: 37 });
    expect(await client.topUp(request)).toMatchObject({ totalVolumeBytes: 6 * 1024 ** 3 });
    expect(await client.status(profile.iccid)).toMatchObject({ totalVolumeBytes: 6 * 1024 ** 3 });
  });

  it('syncs a profile’s status and usage', async () => {
    const profile = await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-5:esim_activate' });
    await control(`/esimaccess/profiles/${profile.iccid}`, 'PUT', {
      esimStatus: 'IN_USE',
      smdpStatus: 'ENABLED',
      orderUsage: 500_000,
    });
    expect(await client.status(profile.iccid)).toMatchObject({
      status: 'IN_USE',
      smdpStatus: 'ENABLED',
      usedBytes: 500_000,
    });
  });

  it('classifies eSIM Access error codes', async () => {
    await expect(client.activate({ packageCode: 'NOPE', idempotencyKey: 'k1' })).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'package_not_found',
      message: 'esimaccess refused (310241): The packageCode does not exist.',
    });
    await expect(client.status('89000000000000000000')).rejects.toMatchObject({ code: 'not_found' });
    await control('/esimaccess/balance', 'PUT', { balance: 0 });
    await expect(client.activate({ packageCode: 'JC016', idempotencyKey: 'k2' })).rejects.toMatchObject({
      code: 'insufficient_balance',
    });
    const wrongKey = new EsimAccessClient({
      baseUrl: `${base}/esimaccess`,
      accessCode: ACCESS_CODE,
      secretKey: 'wrong',
    });
    const refused = await wrongKey.listTopUps('x').catch((e) => e);
    expect(refused).toBeInstanceOf(PermanentError);
    expect(refused).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('101003') });
  });

  it('treats an injected 503 and a provider that never answers as transient', async () => {
    await control('/faults/esimaccess', 'PUT', { errorRate: 1, statusCode: 503, remaining: 1 });
    await expect(client.listTopUps('x')).rejects.toMatchObject({
      name: 'TransientError',
      code: 'provider_unavailable',
    });
    await control('/faults/esimaccess', 'PUT', { timeoutRate: 1, remaining: 1 });
    await expect(client.listTopUps('x')).rejects.toMatchObject({ name: 'TransientError', code: 'timeout' });
  });

  it("fetches the profile's QR code image, reports the call without its address, and refuses one revoked", async () => {
    const profile = await client.activate({ packageCode: 'JC016', idempotencyKey: 'record-7:esim_activate' });
    const captured = await captureProviderCalls(() => client.qrCode(local(profile.qrCodeUrl)));
    expect(captured.ok).toBe(true);
    const image = captured.ok ? captured.value : Buffer.alloc(0);
    expect(image.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(captured.calls).toEqual([
      expect.objectContaining({
        method: 'GET',
        httpStatus: 200,
        url: `${base}/qr-code-image`,
        response: '[image/png]',
      }),
    ]);
    expect(JSON.stringify(captured.calls)).not.toContain(profile.esimTranNo);
    await client.revoke(profile.iccid);
    // Revoking twice is done already; the image is gone.
    await client.revoke(profile.iccid);
    await expect(client.qrCode(local(profile.qrCodeUrl))).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'qr_code_unavailable',
    });
  });

  it('orders and reads an order separately, and says what the account can still buy', async () => {
    const { orderNo } = await client.order({ packageCode: 'UC010', idempotencyKey: 'record-8:order_esim' });
    expect(await client.order({ packageCode: 'UC010', idempotencyKey: 'record-8:order_esim' })).toEqual({ orderNo });
    expect(await client.profileOfOrder(orderNo)).toMatchObject({ orderNo, packageCode: 'UC010' });
    expect(await client.findPackage('UC010')).toMatchObject({ name: 'United States 3GB 15Days', price: 45_000 });
    expect(await client.findPackage('GONE1')).toBeNull();
    expect(await client.balance()).toBe(10_000_000 - 45_000);
  });

  it('keeps the activation code and QR link out of the reported calls', async () => {
    const captured = await captureProviderCalls(() =>
      client.activate({ packageCode: 'JC016', idempotencyKey: 'record-6:esim_activate' }),
    );
    expect(captured.ok).toBe(true);
    const activationCode = captured.ok ? captured.value.activationCode : '';
    expect(captured.calls).toHaveLength(2);
    expect(captured.calls[1]).toMatchObject({
      response: { obj: { esimList: [{ ac: '[redacted]', qrCodeUrl: '[redacted]' }] } },
    });
    const logged = JSON.stringify(captured.calls);
    expect(logged).not.toContain(activationCode);
    expect(logged).not.toContain(SECRET_KEY);
  });
});

describe('eSIM Access configuration', () => {
  it('reads the ESIMACCESS_* variables and names a bad one', () => {
    expect(
      esimAccessEnvSchema.parse({
        ESIMACCESS_API_URL: 'http://localhost:4010/esimaccess',
        ESIMACCESS_ACCESS_CODE: 'code',
        ESIMACCESS_SECRET_KEY: 'key',
      }),
    ).toEqual({ baseUrl: 'http://localhost:4010/esimaccess', accessCode: 'code', secretKey: 'key', timeoutMs: 15_000 });
    expect(() => new EsimAccessClient({ baseUrl: 'x', accessCode: '', secretKey: 'k' })).toThrow(
      /baseUrl[\s\S]*accessCode/,
    );
  });
});
