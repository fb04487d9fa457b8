import { randomUUID } from 'node:crypto';
import { PendingOrder, type PendingOrderLine, Product, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { DriverRegistry, type NormalizedPaymentEvent, type PaymentDeps } from '../src';
import { manualDriver } from './manualDriver';

export const manualConfig = { queue: 'ops', slaHours: 4, instructions: 'Set it up.' };

/** A manual-driver product (the driver every deployment has). */
export async function createProduct(em: EntityManager, overrides: Partial<Product> = {}): Promise<Product> {
  const product = em.create(Product, {
    slug: `setup-${randomUUID().slice(0, 8)}`,
    name: 'Managed setup',
    priceMinor: 2500,
    currency: 'USD',
    deliveryModel: 'managed_setup',
    fulfillmentDriver: 'manual',
    fulfillmentConfig: manualConfig,
    enabledPaymentGateways: ['sandbox', 'stripe', 'wallet'],
    defaultPaymentGateway: 'sandbox',
    ...overrides,
  });
  await em.flush();
  return product;
}

export function line(product: Product, quantity = 1, notes = 'please'): PendingOrderLine {
  return {
    productId: product.id,
    productName: product.name,
    quantity,
    unitPriceMinor: product.priceMinor,
    input: { notes },
  };
}

/** A checkout waiting for its payment, as startCheckout leaves it. */
export async function createPendingOrder(
  em: EntityManager,
  lines: PendingOrderLine[],
  overrides: Partial<PendingOrder> = {},
): Promise<PendingOrder> {
  const pending = em.create(PendingOrder, {
    email: `buyer-${randomUUID().slice(0, 8)}@example.com`,
    items: lines,
    amountMinor: lines.reduce((sum, l) => sum + l.unitPriceMinor * l.quantity, 0),
    currency: 'USD',
    paymentGateway: 'sandbox',
    expiresAt: new Date(Date.now() + 3_600_000),
    ...overrides,
  });
  await em.flush();
  return pending;
}

export async function createCustomer(em: EntityManager, email: string): Promise<User> {
  const user = em.create(User, { email });
  await em.flush();
  return user;
}

type EventBody = NormalizedPaymentEvent extends infer E
  ? E extends NormalizedPaymentEvent
    ? Omit<E, 'gateway' | 'eventId' | 'occurredAt' | 'raw'>
    : never
  : never;

/** A verified event in our terms, as a gateway's normalizeWebhookPayload returns it. */
export function gatewayEvent(body: EventBody, eventId = `evt_${randomUUID()}`): NormalizedPaymentEvent {
  return { gateway: 'sandbox', eventId, occurredAt: new Date(), raw: { id: eventId, ...body }, ...body };
}

export function paymentDeps(em: EntityManager, clock = { now: () => new Date() }): PaymentDeps {
  return { em, gateways: {}, registry: new DriverRegistry([manualDriver]), clock };
}

/** graphile-worker jobs of a task, oldest first. */
export async function jobsOf(
  em: EntityManager,
  task: string,
): Promise<{ payload: Record<string, unknown>; key: string | null; run_at: Date }[]> {
  return em.execute(
    `select j.payload, j.key, j.run_at from graphile_worker._private_jobs j
       join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = ? order by j.id`,
    [task],
  );
}
