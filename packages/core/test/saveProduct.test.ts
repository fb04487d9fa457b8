import type { ProductInput } from '@handover/contracts';
import { ActivityLog, Product } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { DriverRegistry, SYSTEM, saveProduct, ValidationError } from '../src';
import { manualDriver } from './manualDriver';

const registry = new DriverRegistry([manualDriver]);

const setupService = (overrides: Partial<ProductInput> = {}): ProductInput => ({
  slug: 'email-setup',
  name: 'Email setup',
  priceMinor: 14900,
  currency: 'USD',
  deliveryModel: 'managed_setup',
  fulfillmentDriver: 'manual',
  fulfillmentConfig: { slaHours: 24, instructions: 'Configure the mail setup.' },
  enabledPaymentGateways: ['sandbox', 'paypal'],
  defaultPaymentGateway: 'sandbox',
  ...overrides,
});

async function fieldErrors(work: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await work.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).fieldErrors;
}

describe('saveProduct', () => {
  const db = useTestDatabase();

  it('saves a product whose config its driver accepts, filling the driver defaults, and logs it', async () => {
    const product = await saveProduct(db.orm.em.fork(), registry, setupService(), SYSTEM);
    const stored = await db.orm.em.fork().findOneOrFail(Product, { id: product.id });
    expect(stored.fulfillmentConfig).toEqual({ queue: 'ops', slaHours: 24, instructions: 'Configure the mail setup.' });
    expect(await db.orm.em.fork().count(ActivityLog, { action: 'product.created', subjectId: product.id })).toBe(1);
  });

  it("names the driver config's bad fields as fulfillmentConfig.<field>", async () => {
    const errors = await fieldErrors(
      saveProduct(
        db.orm.em.fork(),
        registry,
        setupService({ slug: 'bad', fulfillmentConfig: { slaHours: 0 } }),
        SYSTEM,
      ),
    );
    expect(Object.keys(errors).sort()).toEqual(['fulfillmentConfig.instructions', 'fulfillmentConfig.slaHours']);
  });

  it('refuses an unknown driver, a driver for another delivery model, and a default gateway that is not enabled', async () => {
    expect(
      await fieldErrors(
        saveProduct(db.orm.em.fork(), registry, setupService({ slug: 'x1', fulfillmentDriver: 'nope' }), SYSTEM),
      ),
    ).toHaveProperty('fulfillmentDriver');
    expect(
      await fieldErrors(
        saveProduct(db.orm.em.fork(), registry, setupService({ slug: 'x2', deliveryModel: 'data_bundle' }), SYSTEM),
      ),
    ).toHaveProperty('fulfillmentDriver');
    expect(
      await fieldErrors(
        saveProduct(db.orm.em.fork(), registry, setupService({ slug: 'x3', defaultPaymentGateway: 'stripe' }), SYSTEM),
      ),
    ).toEqual({ defaultPaymentGateway: ['must be one of the enabled gateways'] });
  });

  it('refuses a slug another product uses', async () => {
    await expect(saveProduct(db.orm.em.fork(), registry, setupService(), SYSTEM)).rejects.toThrow(
      'Another product already uses the address "email-setup"',
    );
  });
});
