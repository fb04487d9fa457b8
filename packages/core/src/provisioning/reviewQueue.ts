import type { ActivationType, Address } from '@handover/contracts';
import { Order, OrderItem, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { redact } from '../security/redact';
import { type ExistingService, findExistingServices } from '../serviceRules/existingServices';

/** What ops weigh about the customer when reviewing (seed 004: "the customer's history"). */
export interface CustomerHistory {
  /** Their other orders, by outcome. */
  orders: number;
  delivered: number;
  failed: number;
  refunded: number;
  rejected: number;
  firstOrderAt: Date | null;
  /** The services they already have, by kind (one home Internet per account). */
  services: ExistingService[];
  /** Their latest other orders. */
  recent: { id: string; orderCode: string; status: string; fulfillmentStatus: string; createdAt: Date }[];
}

export interface ReviewCustomer {
  id: string;
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  customerNumber: string | null;
  address: Address | null;
  dateOfBirth: string | null;
  memberSince: Date;
}

/** One order waiting for review, with what ops need to decide. */
export interface ReviewQueueItem {
  id: string;
  orderCode: string;
  createdAt: Date;
  paidAt: Date | null;
  amountMinor: number;
  currency: string;
  paymentGateway: string | null;
  isTest: boolean;
  customer: ReviewCustomer;
  items: {
    id: string;
    productName: string;
    driver: string;
    quantity: number;
    unitPriceMinor: number;
    input: unknown;
  }[];
  /** The activation the order carries: the product's type and the date the customer chose. */
  activation: { type: ActivationType; at: Date | null; timeZone: string | null };
  serviceKind: string | null;
  billingAddress: Address | null;
  history: CustomerHistory;
}

/** Seed 004: the orders awaiting review, oldest first, each with its customer, items, options and history. */
export async function listOrdersAwaitingReview(em: EntityManager, { limit = 100 } = {}): Promise<ReviewQueueItem[]> {
  const orders = await em.find(
    Order,
    { status: 'pending_review' },
    { orderBy: { createdAt: 'asc', id: 'asc' }, limit, populate: ['user'] },
  );
  return Promise.all(orders.map((order) => reviewItemOf(em, order)));
}

/** One order as the review shows it (the queue's row, and the order page's review panel). */
export async function reviewItemOf(em: EntityManager, order: Order): Promise<ReviewQueueItem> {
  const user = await em.findOneOrFail(User, order.user.id);
  const items = await em.find(OrderItem, { order: order.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return {
    id: order.id,
    orderCode: order.orderCode,
    createdAt: order.createdAt,
    paidAt: order.paidAt ?? null,
    amountMinor: order.amountMinor,
    currency: order.currency,
    paymentGateway: order.paymentGateway ?? null,
    isTest: order.isTest,
    customer: {
      id: user.id,
      email: user.email,
      name: user.name ?? null,
      phone: user.phone ?? null,
      company: user.company ?? null,
      customerNumber: user.customerNumber ?? null,
      address: user.address ?? null,
      dateOfBirth: user.dateOfBirth ?? null,
      memberSince: user.createdAt,
    },
    items: items.map((item) => ({
      id: item.id,
      productName: item.productName,
      driver: item.driver,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceMinor,
      input: redact(item.input),
    })),
    activation: {
      type: order.activationType,
      at: order.activationScheduledAt ?? null,
      timeZone: order.activationTimeZone ?? null,
    },
    serviceKind: order.serviceKind ?? null,
    billingAddress: order.billingAddress ?? null,
    history: await customerHistory(em, user.id, order.id),
  };
}

/** The customer's other orders, counted by outcome, with the latest and their services. */
export async function customerHistory(
  em: EntityManager,
  userId: string,
  exceptOrderId: string,
): Promise<CustomerHistory> {
  const [counts] = await em.execute<
    { orders: number; delivered: number; failed: number; refunded: number; rejected: number; first: Date | null }[]
  >(
    `select count(*)::int as orders,
            count(*) filter (where fulfillment_status in ('completed', 'active'))::int as delivered,
            count(*) filter (where fulfillment_status in ('failed', 'partially_failed'))::int as failed,
            count(*) filter (where status in ('refunded', 'partially_refunded'))::int as refunded,
            count(*) filter (where review_decision = 'rejected')::int as rejected,
            min(created_at) as first
       from orders where user_id = ? and id <> ?`,
    [userId, exceptOrderId],
  );
  const recent = await em.find(
    Order,
    { user: userId, id: { $ne: exceptOrderId } },
    {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit: 5,
      fields: ['orderCode', 'status', 'fulfillmentStatus', 'createdAt'],
    },
  );
  const services = (await findExistingServices(em, userId)).filter((service) => service.orderId !== exceptOrderId);
  return {
    orders: counts?.orders ?? 0,
    delivered: counts?.delivered ?? 0,
    failed: counts?.failed ?? 0,
    refunded: counts?.refunded ?? 0,
    rejected: counts?.rejected ?? 0,
    firstOrderAt: counts?.first ? new Date(counts.first) : null,
    services,
    recent: recent.map((order) => ({
      id: order.id,
      orderCode: order.orderCode,
      status: order.status,
      fulfillmentStatus: order.fulfillmentStatus,
      createdAt: order.createdAt,
    })),
  };
}
