import { DriverRegistry, SecretBox, systemClock } from '@handover/core';
import { PendingOrder, PlatformCredential, Product } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { placeOrder } from '../../worker/test/support/fixtures';
import {
  createPrivateSmtpProduct,
  createTestPrivateSmtpAdapter,
  privateSmtpLine,
} from '../../worker/test/support/privateSmtp';
import { browser, errorOf, startServer } from './harness';

/** Seed 001 step 1.2 at the API: a bad form gets field errors and writes nothing. */
describe('the private SMTP order form at the API', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  const adapter = createTestPrivateSmtpAdapter('http://127.0.0.1:9');
  let server: Awaited<ReturnType<typeof startServer>>;
  let product: Product;

  beforeAll(async () => {
    server = await startServer({ orm: db.orm, databaseUrl: db.url, clock: systemClock, drivers: [adapter] });
    product = await createPrivateSmtpProduct(em(), { slug: 'private-smtp' });
    await em().nativeUpdate(Product, { id: product.id }, { enabledPaymentGateways: ['sandbox'] });
  });
  afterAll(() => server?.app.close());

  const api = () => browser(server.base).api;
  const nothingWritten = async () => {
    expect(await em().count(PendingOrder, {})).toBe(0);
    expect(await em().count(PlatformCredential, {})).toBe(0);
  };

  it('refuses a bad prefix, four inboxes, an unknown platform and missing credentials, each at its field', async () => {
    const refused = await errorOf(
      api().checkout.create.mutate({
        email: 'ama@example.com',
        items: [
          {
            productId: product.id,
            quantity: 1,
            input: {
              domains: 'brightbakery.com\nhttps://brightbakery.org',
              inboxesPerDomain: 4,
              prefixVariants: [{ prefix: 'ama mensah', firstName: 'Ama', lastName: 'Mensah' }],
              hostingPlatform: 'godaddy',
            },
          },
        ],
      }),
    );
    expect(refused.code).toBe('BAD_REQUEST');
    expect(refused.fieldErrors).toEqual({
      'items.0.input.domains': [
        'Line 2: “https://brightbakery.org” is not a domain name such as mybusiness.com (no http:// or path)',
      ],
      'items.0.input.inboxesPerDomain': ['Choose 1, 2 or 3 inboxes per domain'],
      'items.0.input.prefixVariants.0.prefix': [
        'Use only letters, digits, dots, dashes and underscores (no spaces or @)',
      ],
      'items.0.input.hostingPlatform': ['Choose where your domains are registered: Spaceship or Namecheap'],
      'items.0.input.platformCredentialId': ['Enter your registrar credentials'],
    });

    const noSecret = await errorOf(
      api().mailboxes.saveCredentials.mutate({
        hostingPlatform: 'namecheap',
        email: 'ama@example.com',
        credentials: { namecheapApiUser: 'ama', namecheapApiKey: 'key' },
      }),
    );
    expect(noSecret.fieldErrors).toEqual({
      credentials: [
        'Confirm that our IP address is on your Namecheap API allow-list',
        'Enter your Namecheap backup codes',
      ],
    });
    await nothingWritten();
  });

  it('saves credentials encrypted and shows back only a hint', async () => {
    const saved = await api().mailboxes.saveCredentials.mutate({
      hostingPlatform: 'spaceship',
      email: 'Ama@Example.com',
      credentials: { spaceshipApiKey: 'sk-live-0123456789abcd', spaceshipApiSecret: 'very-secret-value' },
    });
    expect(saved).toEqual({ id: expect.any(String), platform: 'spaceship', hint: { keyEnding: 'abcd' } });
    const row = await em().findOneOrFail(PlatformCredential, { id: saved.id });
    expect(row.credentialsEncrypted).not.toContain('very-secret-value');
    expect(row.ownerEmail).toBe('ama@example.com');
    await em().nativeDelete(PlatformCredential, {});
  });

  it('refuses a domain already set up, naming its line, before any payment', async () => {
    const box = new SecretBox(server.config.HANDOVER_ENCRYPTION_KEYS);
    const taken = await privateSmtpLine(em(), box, { domains: ['taken.com'] });
    await placeOrder(em(), new DriverRegistry([adapter]), product, [taken]);
    const line = await privateSmtpLine(em(), box, { domains: ['fresh.com', 'Taken.com'], email: 'kofi@example.com' });
    const refused = await errorOf(
      api().checkout.create.mutate({
        email: 'kofi@example.com',
        items: [{ productId: product.id, quantity: 1, input: line }],
      }),
    );
    expect(refused.fieldErrors).toEqual({
      'items.0.input.domains': [
        'Line 2: taken.com is already set up with us, or being set up; contact support if it is yours',
      ],
    });
    expect(await em().count(PendingOrder, {})).toBe(0);
  });
});
