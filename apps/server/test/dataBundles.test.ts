import { queueSms, readResellerFloats } from '@handover/core';
import { FulfillmentRecord, OutboxMessage } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { AtIshareClient, buildBundleResellerAccounts, callbackToken } from '@handover/integrations';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ARKESEL_CALLBACK_SECRET,
  AT_ISHARE_API_KEY,
  arkeselClient,
  bundleAdapter,
  bundleSandbox,
  bundleSandboxEnv,
  createBundleProduct,
} from '../../worker/test/support/dataBundles';
import { placeOrder, until } from '../../worker/test/support/fixtures';
import { type InProcessWorker, startInProcessWorker } from '../../worker/test/support/inProcessWorker';
import { startTestSandbox, type TestSandbox } from '../../worker/test/support/sandbox';
import { browser, createUser, errorOf, signedIn, startServer } from './harness';

const PHONE = '+233271234567';

describe('seed 002 through the server', () => {
  const db = useTestDatabase({ poolMax: 10 });
  const clock = { now: () => new Date() };
  let sandbox: TestSandbox;
  let worker: InProcessWorker;
  let server: { app: FastifyInstance; base: string };
  let callbackUrl = '';

  const em = () => db.orm.em.fork();
  const text = (id: string) => em().findOneOrFail(OutboxMessage, { id });
  const statusReads = async () => (await sandbox.calls('arkesel')).endpoints['GET /arkesel/api/v2/sms/:id'] ?? 0;

  beforeAll(async () => {
    sandbox = await startTestSandbox(bundleSandboxEnv);
    const adapter = bundleAdapter(sandbox.url);
    // The server first, so the worker's texts can name its callback route.
    server = await startServer({
      orm: db.orm,
      databaseUrl: db.url,
      clock,
      drivers: [adapter],
      sms: arkeselClient(sandbox.url, 'http://127.0.0.1:9/webhooks/sms/arkesel'),
      bundleResellers: buildBundleResellerAccounts(
        { AT_ISHARE_API_URL: `${sandbox.url}/at-ishare`, AT_ISHARE_API_KEY },
        'server',
      ),
    });
    callbackUrl = `${server.base}/webhooks/sms/arkesel`;
    worker = await startInProcessWorker(db, [adapter], { sms: arkeselClient(sandbox.url, callbackUrl) });
  });
  afterAll(async () => {
    await server?.app.close();
    await worker?.stop();
    await sandbox?.close();
  });
  beforeEach(() => sandbox.reset());

  describe('text delivery callbacks', () => {
    const sendText = async (to = PHONE) => {
      const queued = await em().transactional((tem) =>
        queueSms(tem, { to, template: 'test_text', body: 'Your 1GB bundle was delivered.' }),
      );
      const id = queued?.id ?? '';
      return until(
        async () => {
          const row = await text(id);
          return row.deliveryStatus && row.deliveryStatus !== 'submitted' ? row : null;
        },
        { what: `the delivery status of text ${id}` },
      );
    };

    it('reads the status back from Arkesel when its callback comes with the text’s token', async () => {
      const delivered = await sendText();
      expect(delivered).toMatchObject({ status: 'sent', deliveryStatus: 'delivered' });
      const [sent] = await bundleSandbox(sandbox.url).texts(PHONE);
      const url = new URL(sent?.callbackUrl ?? '');
      expect(`${url.origin}${url.pathname}`).toBe(callbackUrl);
      expect(url.searchParams.get('reference')).toBe(delivered.id);
      expect(await statusReads()).toBe(1);
    });

    it('changes nothing when the same callback comes again', async () => {
      const first = await sendText();
      const [sent] = await bundleSandbox(sandbox.url).texts(PHONE);
      const resent = await fetch(`${sandbox.url}/_control/arkesel/messages/${sent?.id}/resend-report`, {
        method: 'POST',
      });
      expect(resent.status).toBe(202);
      await until(async () => {
        const { reports } = (await bundleSandbox(sandbox.url).control('/arkesel/reports')) as {
          reports: { delivered: boolean }[];
        };
        return reports.length === 2 && reports.every((report) => report.delivered);
      });
      // The read the second callback queued has run: nothing left for the worker to do.
      await until(async () => {
        const [jobs] = await em().execute<{ n: number }[]>(
          "select count(*)::int as n from graphile_worker._private_jobs where key like 'sms_status:%'",
        );
        return jobs?.n === 0;
      });
      const again = await text(first.id);
      expect(again.deliveryStatus).toBe('delivered');
      expect(again.deliveryUpdatedAt).toEqual(first.deliveryUpdatedAt);
      expect(again.updatedAt).toEqual(first.updatedAt);
      expect(await statusReads()).toBe(1);
    });

    it('records a text the network could not deliver', async () => {
      await fetch(`${sandbox.url}/_control/arkesel/numbers/${encodeURIComponent('+233571234567')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'not_delivered' }),
      });
      expect((await sendText('+233571234567')).deliveryStatus).toBe('undelivered');
    });

    it('refuses a callback without the token of the text it names', async () => {
      const id = '6f1d1c8e-5f3a-4d61-9d7b-3f3a1a2b4c5d';
      const call = (query: string) => fetch(`${callbackUrl}?${query}`, { method: 'POST', body: '{}' });
      expect((await call(`reference=${id}`)).status).toBe(401);
      expect((await call(`reference=${id}&token=${callbackToken('someone-elses-secret-0123', id)}`)).status).toBe(401);
      expect((await call(`reference=other&token=${callbackToken(ARKESEL_CALLBACK_SECRET, 'other')}`)).status).toBe(400);
      expect((await call(`reference=${id}&token=${callbackToken(ARKESEL_CALLBACK_SECRET, id)}`)).status).toBe(200);
      const unknownProvider = await fetch(`${server.base}/webhooks/sms/hubtel?reference=${id}`, { method: 'POST' });
      expect(unknownProvider.status).toBe(404);
    });
  });

  describe('the API', () => {
    it('lists packages grouped by network, and refuses a number of another network with a field error', async () => {
      const product = await createBundleProduct(em(), { slug: 'api-5gb', config: { network: 'AT-iShare', sizeGb: 5 } });
      await createBundleProduct(em(), {
        slug: 'api-1gb',
        config: { network: 'AT-iShare', sizeGb: 1 },
        priceMinor: 600,
      });
      // No reseller here delivers MTN: its package is not offered.
      await createBundleProduct(em(), { slug: 'api-mtn', config: { network: 'MTN', sizeGb: 5 } });
      const visitor = browser(server.base);
      const groups = await visitor.api.dataBundles.packages.query();
      expect(groups.map((g) => [g.network, g.packages.map((p) => p.size)])).toEqual([['AT-iShare', ['1GB', '5GB']]]);
      expect(groups[0]?.packages[1]).toMatchObject({ productId: product.id, enabledPaymentGateways: ['wallet'] });

      await createUser(db.orm, 'buyer@example.com', 'customer');
      const buyer = await signedIn(server.base, 'buyer@example.com');
      expect(
        await errorOf(buyer.api.dataBundles.buy.mutate({ productId: product.id, phoneNumber: '024 123 4567' })),
      ).toMatchObject({
        code: 'BAD_REQUEST',
        fieldErrors: { phoneNumber: [expect.stringContaining('024 123 4567 is not an AirtelTigo number')] },
      });
      expect(
        await errorOf(visitor.api.dataBundles.buy.mutate({ productId: product.id, phoneNumber: PHONE })),
      ).toMatchObject({
        code: 'UNAUTHORIZED',
      });
    });

    it('shows staff data orders with their filters and the reseller float; ops resume held bundles', async () => {
      const product = await createBundleProduct(em(), { slug: 'api-10gb' });
      const { records } = await placeOrder(em(), worker.registry, product, [
        { network: 'AT-iShare', sizeGb: 10, phoneNumber: '0561234567' },
      ]);
      await until(
        async () => (await em().findOneOrFail(FulfillmentRecord, { id: records[0]?.id })).status === 'completed',
      );
      await createUser(db.orm, 'ops@example.com', 'ops');
      await createUser(db.orm, 'finance@example.com', 'finance');
      const ops = await signedIn(server.base, 'ops@example.com');
      const finance = await signedIn(server.base, 'finance@example.com');

      const found = await ops.api.backOffice.dataBundles.orders.query({ network: 'AT-iShare', phone: '056 123 4567' });
      expect(found.items).toMatchObject([
        { network: 'AT-iShare', phoneNumber: '+233561234567', sizeGb: 10, status: 'completed', attempts: 0 },
      ]);
      expect((await ops.api.backOffice.dataBundles.orders.query({ phone: '0271' })).items).toEqual([]);
      expect((await ops.api.backOffice.dataBundles.orders.query({ status: 'failed' })).items).toEqual([]);

      const [float] = await finance.api.backOffice.dataBundles.floats.query();
      expect(float).toMatchObject({ network: 'AT-iShare', balance: { amountMinor: 95_800, currency: 'GHS' }, held: 0 });
      expect(
        await errorOf(finance.api.backOffice.dataBundles.resumeHeld.mutate({ network: 'AT-iShare' })),
      ).toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(await ops.api.backOffice.dataBundles.resumeHeld.mutate({ network: 'AT-iShare' })).toEqual({ resumed: 0 });

      const cookie = [...ops.jar].map(([name, value]) => `${name}=${value}`).join('; ');
      const today = new Date().toISOString().slice(0, 10);
      const csv = await fetch(
        `${server.base}/reports/data-bundles.csv?from=${today}&to=${today}&tz=UTC&network=AT-iShare`,
        {
          headers: { cookie },
        },
      );
      expect(csv.status).toBe(200);
      const [header, row, ...rest] = (await csv.text()).trim().split('\n');
      expect(header).toBe(
        'created_at,order_code,email,network,phone_number,size,status,failed_attempts,reference,amount_minor,currency,completed_at,seconds_to_fulfil,last_error',
      );
      // A leading + is kept from running as a formula in a spreadsheet.
      expect(row).toContain(",AT-iShare,'+233561234567,10GB,completed,0,ATI");
      expect(rest).toEqual([]);
    });

    it('answers a batch naming many procedures in one path, as a back office refresh sends', async () => {
      const visitor = browser(server.base);
      const answers = await Promise.all(Array.from({ length: 8 }, () => visitor.api.dataBundles.packages.query()));
      expect(answers).toHaveLength(8);
    });

    it('reads an unreachable reseller’s float as not available, with why', async () => {
      const down = new AtIshareClient({ baseUrl: 'http://127.0.0.1:9/at-ishare', apiKey: 'k', timeoutMs: 500 });
      const [float] = await readResellerFloats(em(), [
        { network: 'AT-iShare', name: 'AT-iShare reseller', balance: () => down.balance() },
      ]);
      expect(float).toMatchObject({
        balance: null,
        error: expect.stringMatching(/^Unreachable: at-ishare could not be reached/),
      });
    });
  });
});
