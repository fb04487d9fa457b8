import { checkoutLineSchema, customerContactSchema } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import { z } from 'zod';
import { findOrCreateCustomer } from '../accounts/customers';
import { recordActivity } from '../activity/activity';
import { priceCart } from '../checkout/cart';
import type { Clock } from '../clock';
import { WriteBatch } from '../database/writeBatch';
import type { DriverRegistry } from '../fulfillment/registry';
import type { PaymentLogger } from '../payments/paymentLog';
import { paymentLogFields, silentPaymentLogger } from '../payments/paymentLog';
import { placeOrder } from './placeOrder';

/** Seed 000's test mode: an order form for a product, without payment. */
export const testOrderInputSchema = z.object({
  items: z.array(checkoutLineSchema).min(1, 'add at least one item').max(20),
  /** The test order's customer; default: the staff member who creates it. */
  email: customerContactSchema.shape.email.optional(),
  phone: customerContactSchema.shape.phone,
});
export type TestOrderInput = z.output<typeof testOrderInputSchema>;

export interface TestOrderCreated {
  orderId: string;
  orderCode: string;
  status: string;
  records: number;
}

/**
 * Seed 000's test mode: creates the test user (when new) and a test order, then runs the EXACT
 * fulfillment of a paid order, skipping only the payment and its webhook. The order, its records
 * and its logs say `isTest`; nothing was charged, so it takes no payment row and an amount of
 * zero, and revenue never counts it.
 */
export async function createTestOrder(
  deps: { em: EntityManager; registry: DriverRegistry; clock: Clock; logger?: PaymentLogger },
  input: TestOrderInput,
  staff: { id: string; email: string },
): Promise<TestOrderCreated> {
  const em = deps.em.fork();
  const cart = await priceCart(em, deps.registry, input.items);
  const now = deps.clock.now();
  const created = await em.transactional(async (tem) => {
    const email = input.email ?? staff.email;
    const userId = await findOrCreateCustomer(tem, email, input.phone);
    const batch = new WriteBatch();
    const order = await placeOrder(
      tem,
      deps.registry,
      {
        userId,
        email,
        phone: input.phone,
        lines: cart.lines,
        amountMinor: 0,
        currency: cart.currency,
        pendingOrderId: null,
        paymentGateway: null,
        paymentReference: null,
        isTest: true,
        paidAt: null,
      },
      batch,
      now,
    );
    await batch.execute(tem);
    recordActivity(tem, {
      action: 'order.test_created',
      subjectType: 'order',
      subjectId: order.orderId,
      actor: { type: 'user', id: staff.id },
      description: 'Test order: fulfilment runs as for a paid order, with no payment',
      properties: { isTest: true, records: order.recordIds.length, listPriceMinor: cart.amountMinor },
    });
    return {
      orderId: order.orderId,
      orderCode: order.orderCode,
      status: order.status,
      records: order.recordIds.length,
    };
  });
  (deps.logger ?? silentPaymentLogger).info(
    { ...paymentLogFields({ gateway: 'none', orderId: created.orderId, isTest: true }), staff_id: staff.id },
    'test order created without payment',
  );
  return { orderId: created.orderId, orderCode: created.orderCode, status: created.status, records: created.records };
}
