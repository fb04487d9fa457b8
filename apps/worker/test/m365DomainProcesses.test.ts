import { randomBytes } from 'node:crypto';
import { DriverRegistry, parseEncryptionKeys, SecretBox } from '@handover/core';
import { Order, WorkerNode } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { buildDrivers } from '@handover/integrations';
import { type ManagedProcess, startProcess } from '@handover/scripts/processes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder, stockPool, until } from './support/fixtures';
import { createM365DomainProduct, m365OrderForm } from './support/m365';
import { startSandboxProcess } from './support/sandboxProcess';

/**
 * Seed 000 from payment to `active` through the real processes: the sandbox (PlugSaaS, the
 * registrar page's DNS server, SMTP) and a worker started as in production, with plain DNS.
 * The paid order is placed by the fixture; the signed webhook that places it comes with checkout.
 */
describe('a Microsoft 365 domain through the sandbox and worker processes', () => {
  const db = useTestDatabase();
  const processes: ManagedProcess[] = [];
  const keys = `k1=${randomBytes(32).toString('base64')}`;
  const plugsaasKey = `e2e-${randomBytes(12).toString('hex')}`;
  let sandboxUrl = '';
  let plugsaasUrl = '';

  const em = () => db.orm.em.fork();
  const control = async (path: string, init?: RequestInit) => {
    const res = await fetch(`${sandboxUrl}${path}`, init);
    if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const worker = () => processes.find((p) => p.name === 'worker');

  beforeAll(async () => {
    const sandbox = await startSandboxProcess({ PLUGSAAS_API_KEY: plugsaasKey });
    processes.push(sandbox.process);
    sandboxUrl = sandbox.url;
    plugsaasUrl = `${sandboxUrl}/plugsaas`;
    const [dns, smtp] = [sandbox.dnsPort, sandbox.smtpPort];
    processes.push(
      startProcess({
        name: 'worker',
        entry: 'apps/worker/src/main.ts',
        env: {
          DATABASE_URL: db.url,
          HANDOVER_ENCRYPTION_KEYS: keys,
          // Debug, so that a password leaking into any log line would show in the output checked below.
          LOG_LEVEL: 'debug',
          WORKER_POLL_INTERVAL_MS: '200',
          PLUGSAAS_API_URL: plugsaasUrl,
          PLUGSAAS_API_KEY: plugsaasKey,
          // Required by the data-bundle driver; nothing in this test reaches AT-iShare.
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
          DNS_RESOLVER: 'dns',
          DNS_SERVER: `127.0.0.1:${dns}`,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(smtp),
          SMTP_FROM: 'Handover <no-reply@handover.test>',
          PORTAL_URL: 'http://portal.test',
        },
      }),
    );
    await until(async () => (await em().count(WorkerNode, {})) > 0 || worker()?.child.exitCode !== null, {
      what: 'the worker process',
    });
    expect(worker()?.child.exitCode, worker()?.output()).toBeNull();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('completes with nameservers, turns active once the registrar points the domain at them, and emails the customer', async () => {
    await stockPool(em(), new SecretBox(parseEncryptionKeys(keys)), 'microsoft-365', 2);
    const product = await createM365DomainProduct(em(), { slug: 'microsoft-365-domain', pool: 'microsoft-365' });
    const registry = new DriverRegistry(
      buildDrivers(
        {
          PLUGSAAS_API_URL: plugsaasUrl,
          PLUGSAAS_API_KEY: plugsaasKey,
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
        'test',
      ),
    );
    const { order } = await placeOrder(em(), registry, product, [m365OrderForm(['mybusiness.com'])]);

    const completed = await until(async () => {
      const o = await em().findOneOrFail(Order, { id: order.id });
      return o.fulfillmentStatus === 'completed' && o;
    });
    expect(completed.dnsStatus).toBe('pending_verification');
    const [delivered] = completed.nameservers;
    expect(delivered).toMatchObject({ domain: 'mybusiness.com', dns_verified: false });
    expect(delivered?.nameservers).toHaveLength(2);

    // What a person does on the registrar page, then the job the crontab adds every 5 minutes.
    await control('/_control/registrar/domains/mybusiness.com', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ nameservers: delivered?.nameservers }),
    });
    await em().execute(`select graphile_worker.add_job('verify_dns', '{}'::json)`);
    const active = await until(async () => {
      const o = await em().findOneOrFail(Order, { id: order.id });
      return o.fulfillmentStatus === 'active' && o;
    });
    expect(active).toMatchObject({
      dnsStatus: 'verified',
      nameservers: [{ domain: 'mybusiness.com', nameservers: delivered?.nameservers, dns_verified: true }],
    });
    expect(active.dnsLastChecked).toBeInstanceOf(Date);

    const subjects = await until(async () => {
      const { messages } = (await control('/_control/mail?to=customer@example.com')) as {
        messages: { subject: string }[];
      };
      const seen = messages.map((m) => m.subject);
      return seen.includes('mybusiness.com is active') && seen;
    });
    expect(subjects).toContain(`Order ${order.orderCode} is complete`);
    expect(worker()?.output()).toContain('domain verified: now active');
    for (const password of ['Pass-1!', 'Pass-2!']) expect(worker()?.output()).not.toContain(password);
  });
});
