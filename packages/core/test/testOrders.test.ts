import { ActivityLog, FulfillmentRecord, Order, Payment, User } from '@handover/db';
import { useTestDatabase } from '@handover/db/vitest';
import { describe, expect, it } from 'vitest';
import { createTestOrder, getCustomerOrder, ValidationError } from '../src';
import { createCustomer, createProduct, jobsOf, paymentDeps } from './paymentFixtures';

describe('test mode (seed 000): an order with no payment, fulfilled as a paid one', () => {
  const db = useTestDatabase();
  const em = () => db.orm.em.fork();

  it('creates the test user and order, marks order and records as a test, and starts the same jobs', async () => {
    const staff = await createCustomer(em(), 'ops@example.com');
    const product = await createProduct(em(), { priceMinor: 4900 });
    const created = await createTestOrder(
      paymentDeps(db.orm.em),
      {
        email: 'Test.Customer@Example.com',
        phone: null,
        items: [{ productId: product.id, quantity: 2, input: { notes: 'dry run' } }],
      },
      { id: staff.id, email: staff.email },
    );

    expect(created).toMatchObject({ status: 'paid', records: 2 });
    const order = await em().findOneOrFail(Order, created.orderId);
    expect(order).toMatchObject({ isTest: true, amountMinor: 0, paymentGateway: null, paymentReference: null });
    const user = await em().findOneOrFail(User, order.user.id);
    expect(user).toMatchObject({ email: 'test.customer@example.com', passwordHash: null });
    const records = await em().find(FulfillmentRecord, { order: order.id });
    expect(records.map((r) => [r.isTest, r.status])).toEqual([
      [true, 'queued'],
      [true, 'queued'],
    ]);
    const jobs = await jobsOf(em(), 'fulfill');
    expect(jobs.filter((job) => records.some((r) => r.id === job.payload.recordId))).toHaveLength(2);
    expect(await em().count(Payment, { order: order.id })).toBe(0);
    expect(await em().findOneOrFail(ActivityLog, { action: 'order.test_created', subjectId: order.id })).toMatchObject({
      actorId: staff.id,
      properties: { isTest: true, listPriceMinor: 9800 },
    });
    expect(await getCustomerOrder(em(), user.id, { id: order.id })).toMatchObject({ isTest: true, amountMinor: 0 });
  });

  it("defaults to the staff member's own account, and checks the order form with the driver", async () => {
    const staff = await createCustomer(em(), 'ops2@example.com');
    const product = await createProduct(em());
    const created = await createTestOrder(
      paymentDeps(db.orm.em),
      { phone: null, items: [{ productId: product.id, quantity: 1, input: {} }] },
      { id: staff.id, email: staff.email },
    );
    expect((await em().findOneOrFail(Order, created.orderId)).user.id).toBe(staff.id);

    const refused = await createTestOrder(
      paymentDeps(db.orm.em),
      { phone: null, items: [{ productId: product.id, quantity: 1, input: { notes: 42 } }] },
      { id: staff.id, email: staff.email },
    ).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors).toHaveProperty(['items.0.input.notes']);
  });
});
