import type { ActivationMoment } from '@handover/contracts';
import {
  type DriverRegistry,
  findOrCreateCustomer,
  lineActivation,
  type PlacedOrder,
  placeOrder,
  WriteBatch,
} from '@handover/core';
import { Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * An order as the payment webhook places it (core's placeOrder), paid on the sandbox gateway: a
 * product that requires review waits in `pending_review`; the customer's activation date, when
 * given, is snapshotted on the line as checkout does.
 */
export async function placePaidOrder(
  em: EntityManager,
  registry: DriverRegistry,
  productId: string,
  {
    email = 'customer@example.com',
    input = {},
    activation,
    now = new Date(),
  }: { email?: string; input?: Record<string, unknown>; activation?: ActivationMoment; now?: Date } = {},
): Promise<PlacedOrder> {
  return em.fork().transactional(async (tem) => {
    const product = await tem.findOneOrFail(Product, productId);
    const userId = await findOrCreateCustomer(tem, email, null);
    const batch = new WriteBatch();
    const placed = await placeOrder(
      tem,
      registry,
      {
        userId,
        email,
        phone: null,
        lines: [
          {
            productId,
            productName: product.name,
            quantity: 1,
            unitPriceMinor: product.priceMinor,
            input,
            activation: lineActivation(product, activation, 0, now),
          },
        ],
        amountMinor: product.priceMinor,
        currency: product.currency,
        pendingOrderId: null,
        paymentGateway: 'sandbox',
        paymentReference: `pay_${Math.random().toString(36).slice(2)}`,
        isTest: false,
        paidAt: now,
      },
      batch,
      now,
    );
    await batch.execute(tem);
    return placed;
  });
}
