import { createPublicKey, randomUUID } from 'node:crypto';
import { hashPassword, passwordCostFromLog2, verifyLicenseKey } from '@handover/core';
import { DownloadLog, FulfillmentRecord, License, Order, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browser, errorOf } from '../../server/test/harness';
import { type PaymentStack, startPaymentStack } from '../../server/test/paymentStack';
import { steppedClock } from './support/dataBundles';
import { until } from './support/fixtures';
import { type InProcessWorker, startInProcessWorker, testKeys } from './support/inProcessWorker';
import {
  createDownloadProduct,
  createLicenseProduct,
  downloadsFolder,
  LICENSE_KEY_REF,
  marketplaceAdapters,
  stockKeyRing,
} from './support/marketplace';

const PASSWORD = 'correct horse battery';

/**
 * Seed 003's self-hosted products from checkout on: the licence key verified offline, the
 * activation API's limit, download links served and logged, expired or another customer's
 * refused, and a refund revoking the licence and its downloads.
 */
describe('license and download drivers, with the activation API and download links', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const files = downloadsFolder({ 'invoicing/2.4.0/setup.zip': 'installer bytes' });
  const clock = steppedClock();
  let stack: PaymentStack;
  let worker: InProcessWorker;
  const em = () => db.orm.em.fork();

  beforeAll(async () => {
    const drivers = () => marketplaceAdapters('http://127.0.0.1:9', files.root);
    stack = await startPaymentStack({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      drivers: drivers(),
      downloadStorage: files.storage,
      env: { DOWNLOAD_LINK_SECRET: 'download-link-secret-0123456789abcdef', HANDOVER_ENCRYPTION_KEYS: testKeys },
    });
    worker = await startInProcessWorker(db, drivers(), { gateways: stack.gateways, clock });
    await stockKeyRing(em(), worker.secrets);
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
    files.remove();
  });

  async function customer(role: 'customer' | 'finance' = 'customer') {
    const email = `${role}-${randomUUID().slice(0, 6)}@example.com`;
    const user = em().create(User, {
      email,
      role,
      passwordHash: await hashPassword(PASSWORD, passwordCostFromLog2(10)),
      emailVerifiedAt: new Date(),
    });
    await em().persistAndFlush(user);
    const b = browser(stack.base);
    await b.api.auth.signIn.mutate({ email, password: PASSWORD });
    return { ...b, user };
  }

  /** Checks out one line on the sandbox gateway, pays, and waits for its record to be delivered. */
  async function buy(
    api: Awaited<ReturnType<typeof customer>>['api'],
    productId: string,
    input: Record<string, unknown>,
  ) {
    const started = await api.checkout.create.mutate({
      email: 'ignored@example.com',
      gateway: 'sandbox',
      items: [{ productId, input }],
    });
    expect((await stack.clickButton(started.redirectUrl, 'Pay')).status).toBe(303);
    const order = await until(async () => em().findOne(Order, { pendingOrder: started.pendingOrderId }), {
      what: 'the paid order',
    });
    const record = await until(
      async () => {
        const found = await em().findOne(FulfillmentRecord, { order: order.id });
        return found?.status === 'active' ? found : null;
      },
      { what: 'the record delivered' },
    );
    return { order, record };
  }

  /** Links name PUBLIC_URL, which this test's server does not know: the same path on its real address. */
  const here = (url: string) => `${stack.base}${new URL(url).pathname}`;
  const licenseApi = async (path: string, body: unknown) => {
    const res = await fetch(`${stack.base}/licenses/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('hands out a download-only product, and refuses a download past its limit', async () => {
    const product = await createDownloadProduct(em(), { slug: 'fonts', maxDownloads: 1 });
    const cory = await customer();
    await buy(cory.api, product.id, {});
    const owned = await cory.api.products.mine.query();
    expect(owned.licenses).toEqual([]);
    const [entitlement] = owned.downloads;
    expect(entitlement?.files).toEqual([
      { key: 'invoicing/2.4.0/setup.zip', name: 'Font pack 1.0', description: null, size: 15, downloads: 0 },
    ]);
    const link = await cory.api.products.downloadLink.mutate({
      entitlementId: entitlement?.entitlementId ?? '',
      fileKey: 'invoicing/2.4.0/setup.zip',
    });
    expect((await fetch(here(link.url))).status).toBe(200);
    expect((await fetch(here(link.url))).status).toBe(429);
    const again = await errorOf(
      cory.api.products.downloadLink.mutate({
        entitlementId: entitlement?.entitlementId ?? '',
        fileKey: 'invoicing/2.4.0/setup.zip',
      }),
    );
    expect(again).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the most this product allows') });
  });

  it('issues a key the vendor verifies offline, activates it within its limit, and a refund revokes it and its downloads', async () => {
    const product = await createLicenseProduct(em(), { slug: 'invoicing' });
    const ada = await customer();
    const { order, record } = await buy(ada.api, product.id, { licensee: 'Corner Café' });

    const owned = await ada.api.products.mine.query();
    const [license] = owned.licenses;
    expect(license).toMatchObject({
      productName: 'Invoicing for Desktop',
      productCode: 'INVOICING-2',
      licensee: 'Corner Café',
      status: 'active',
      activationLimit: 2,
      activations: [],
    });
    expect(await ada.api.products.kinds.query()).toEqual({
      workspaces: 0,
      installations: 0,
      licenses: 1,
      downloads: 1,
    });
    const { licenseKey } = await ada.api.products.revealLicenseKey.mutate({ licenseId: license?.id ?? '' });
    expect(licenseKey.endsWith(license?.keyHint.slice(1) ?? '-')).toBe(true);

    // The vendor's software verifies the key offline with the public key Handover publishes.
    const published = (await (await fetch(`${stack.base}/licenses/public-key?key_id=${LICENSE_KEY_REF}`)).json()) as {
      public_key: string;
    };
    expect(verifyLicenseKey(licenseKey, createPublicKey(published.public_key))).toMatchObject({
      license_id: license?.id,
      product: 'INVOICING-2',
      licensee: 'Corner Café',
      activation_limit: 2,
      features: ['multi_currency'],
      expires_at: null,
    });

    // Seed 003's activation limit: two machines, then a clear refusal.
    expect(
      (await licenseApi('activate', { license_key: licenseKey, instance_id: 'laptop-1', label: "Ada's laptop" }))
        .status,
    ).toBe(200);
    expect(
      (await licenseApi('activate', { license_key: licenseKey, instance_id: 'desk-2', label: 'Front desk' })).body,
    ).toMatchObject({
      status: 'active',
      license: { activations_used: 2, activation_limit: 2 },
    });
    expect((await licenseApi('activate', { license_key: licenseKey, instance_id: 'laptop-1' })).status).toBe(200);
    const refused = await licenseApi('activate', { license_key: licenseKey, instance_id: 'till-3', label: 'Till' });
    expect(refused).toEqual({
      status: 409,
      body: {
        error: 'activation_limit_reached',
        message:
          "This licence is already active on 2 of 2 machines (Ada's laptop, Front desk). Deactivate one of them, in the software or on your Products page, then try again.",
        requestId: expect.any(String),
      },
    });
    expect((await licenseApi('activate', { license_key: `${licenseKey}x`, instance_id: 'till-3' })).body.error).toBe(
      'license_not_found',
    );
    expect((await licenseApi('activate', { license_key: licenseKey })).status).toBe(400);
    const [desk] =
      (await ada.api.products.mine.query()).licenses[0]?.activations.filter((a) => a.label === 'Front desk') ?? [];
    await ada.api.products.deactivateActivation.mutate({ activationId: desk?.id ?? '' });
    expect((await licenseApi('activate', { license_key: licenseKey, instance_id: 'till-3' })).status).toBe(200);

    // The installer through an expiring signed link the server serves, each download logged.
    const [downloads] = (await ada.api.products.mine.query()).downloads;
    const fileKey = 'invoicing/2.4.0/setup.zip';
    const link = await ada.api.products.downloadLink.mutate({ entitlementId: downloads?.entitlementId ?? '', fileKey });
    const served = await fetch(here(link.url));
    expect(served.status).toBe(200);
    expect(served.headers.get('content-disposition')).toBe('attachment; filename="setup.zip"');
    expect(await served.text()).toBe('installer bytes');
    expect(await em().count(DownloadLog, { entitlement: downloads?.entitlementId, outcome: 'served' })).toBe(1);

    // Another customer cannot have a link to it, nor change a link to point at it.
    const bob = await customer();
    expect(
      (await errorOf(bob.api.products.downloadLink.mutate({ entitlementId: downloads?.entitlementId ?? '', fileKey })))
        .code,
    ).toBe('NOT_FOUND');
    const [body, signature] = (link.url.split('/downloads/')[1] ?? '').split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), u: bob.user.id }),
    ).toString('base64url');
    expect((await fetch(`${stack.base}/downloads/${forged}.${signature}`)).status).toBe(403);

    // An expired link is refused. (The clock runs ahead from here on: this test pays nothing after it.)
    await clock.advance(em(), 16 * 60_000);
    const expired = await fetch(here(link.url));
    expect(expired.status).toBe(410);
    expect(await expired.json()).toMatchObject({ error: 'link_expired' });
    const fresh = await ada.api.products.downloadLink.mutate({
      entitlementId: downloads?.entitlementId ?? '',
      fileKey,
    });

    // Seed 003: a refund revokes the licence and refuses its downloads.
    const finance = await customer('finance');
    const refund = await finance.api.payments.refund.mutate({
      orderId: order.id,
      reason: 'customer changed their mind',
    });
    expect(refund).toMatchObject({ status: 'succeeded', cancelFulfillment: true });
    await until(async () => (await em().findOneOrFail(FulfillmentRecord, { id: record.id })).status === 'cancelled', {
      what: 'the licence record cancelled',
    });
    expect(await em().findOneOrFail(License, { record: record.id })).toMatchObject({
      status: 'revoked',
      statusReason: 'The order was refunded',
    });
    expect(await licenseApi('activate', { license_key: licenseKey, instance_id: 'laptop-9' })).toMatchObject({
      status: 403,
      body: { error: 'license_revoked' },
    });
    expect((await licenseApi('check', { license_key: licenseKey, instance_id: 'laptop-1' })).status).toBe(403);
    const revoked = await fetch(here(fresh.url));
    expect(revoked.status).toBe(403);
    expect(await revoked.json()).toMatchObject({ error: 'revoked' });
    expect(
      (await errorOf(ada.api.products.downloadLink.mutate({ entitlementId: downloads?.entitlementId ?? '', fileKey })))
        .code,
    ).toBe('CONFLICT');
    expect(
      (await em().find(DownloadLog, { entitlement: downloads?.entitlementId, outcome: 'refused' })).map(
        (l) => l.reason,
      ),
    ).toEqual(['link_expired', 'revoked']);
    expect(await em().count(DownloadLog, { entitlement: null, reason: 'signature_invalid' })).toBe(1);
  });
});
