import { randomBytes } from 'node:crypto';
import type { FulfillmentStatus } from '@handover/contracts';
import { M365_DOMAIN_DRIVER } from '@handover/contracts/drivers/m365-domain';
import { FulfillmentRecord, FulfillmentStep, Order, OrderItem, Product, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { checkM365DomainsAvailable, findDomainsInUse } from '../src';

describe('domains in use (seed 000: one domain, one delivery)', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();
  let clock = Date.parse('2026-02-03T02:00:00Z');
  const seenBy = (r: FulfillmentRecord) => ({ recordId: r.id, checkStep: 'check_domain' });

  /** A record of the m365-domain driver for `domain`, created a second after the previous one. */
  async function record(domain: string, status: FulfillmentStatus): Promise<FulfillmentRecord> {
    const tem = em();
    const user = (await tem.findOne(User, { email: 'c@example.com' })) ?? tem.create(User, { email: 'c@example.com' });
    const product =
      (await tem.findOne(Product, { slug: 'm365' })) ??
      tem.create(Product, {
        slug: 'm365',
        name: 'Microsoft 365',
        priceMinor: 4900,
        currency: 'USD',
        deliveryModel: 'domain_provisioning',
        fulfillmentDriver: M365_DOMAIN_DRIVER,
      });
    const order = tem.create(Order, {
      orderCode: `HO-${randomBytes(4).toString('hex')}`,
      user,
      email: user.email,
      amountMinor: 4900,
      currency: 'USD',
    });
    const item = tem.create(OrderItem, {
      order,
      product,
      productName: product.name,
      driver: M365_DOMAIN_DRIVER,
      unitPriceMinor: 4900,
      currency: 'USD',
      input: {},
    });
    clock += 1000;
    const created = tem.create(FulfillmentRecord, {
      order,
      orderItem: item,
      product,
      driver: M365_DOMAIN_DRIVER,
      subject: domain,
      status,
      payloadSnapshot: {},
      createdAt: new Date(clock),
    });
    await tem.flush();
    return created;
  }

  it('counts domains delivered or in progress, not those whose delivery failed or was cancelled', async () => {
    await record('delivered.com', 'completed');
    await record('live.com', 'active');
    await record('on-its-way.com', 'awaiting_inventory');
    await record('gave-up.com', 'failed');
    await record('changed-mind.com', 'cancelled');
    const inUse = await findDomainsInUse(em(), M365_DOMAIN_DRIVER, [
      'Delivered.com.',
      'live.com',
      'on-its-way.com',
      'gave-up.com',
      'changed-mind.com',
      'never-seen.com',
    ]);
    expect([...inUse].sort()).toEqual(['delivered.com', 'live.com', 'on-its-way.com']);
    expect(await findDomainsInUse(em(), 'another-driver', ['delivered.com'])).toEqual(new Set());
  });

  it('between two records of one domain in progress, lets the earlier one keep it', async () => {
    const earlier = await record('contested.com', 'processing');
    const later = await record('contested.com', 'queued');
    expect(await findDomainsInUse(em(), M365_DOMAIN_DRIVER, ['contested.com'], { asSeenBy: seenBy(earlier) })).toEqual(
      new Set(),
    );
    expect(await findDomainsInUse(em(), M365_DOMAIN_DRIVER, ['contested.com'], { asSeenBy: seenBy(later) })).toEqual(
      new Set(['contested.com']),
    );
  });

  it('lets a later record that already passed its check keep the domain when the earlier one is retried', async () => {
    const retried = await record('second-chance.com', 'queued');
    const passed = await record('second-chance.com', 'processing');
    const tem = em();
    tem.create(FulfillmentStep, {
      record: passed.id,
      name: 'check_domain',
      position: 0,
      status: 'done',
      idempotencyKey: `${passed.id}:check_domain`,
    });
    await tem.flush();
    expect(
      await findDomainsInUse(em(), M365_DOMAIN_DRIVER, ['second-chance.com'], { asSeenBy: seenBy(retried) }),
    ).toEqual(new Set(['second-chance.com']));
  });

  it('lets a later record see a delivered domain as taken, and an earlier one too', async () => {
    const waiting = await record('redelivered.com', 'awaiting_inventory');
    await record('redelivered.com', 'completed');
    expect(
      await findDomainsInUse(em(), M365_DOMAIN_DRIVER, ['redelivered.com'], { asSeenBy: seenBy(waiting) }),
    ).toEqual(new Set(['redelivered.com']));
  });

  it('names each taken domain of an order form by its field, for checkout to show', async () => {
    await record('taken.net', 'active');
    expect(await checkM365DomainsAvailable(em(), ['free.net', 'TAKEN.net', 'also-free.net'])).toEqual({
      'domains.1.domain': ['taken.net is already set up with us, or being set up; contact support if it is yours'],
    });
    expect(await checkM365DomainsAvailable(em(), ['free.net'])).toEqual({});
  });
});
