import {
  type DnsStatus,
  type DomainNameservers,
  FulfillmentRecord,
  type FulfillmentStatus,
  Order,
  type OrderFulfillmentStatus,
  OrderItem,
  type OrderStatus,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { redact } from '../security/redact';

/** An order as its customer sees it: never another customer's, never a secret, never a provider log. */
export interface CustomerOrder {
  id: string;
  orderCode: string;
  status: OrderStatus;
  fulfillmentStatus: OrderFulfillmentStatus;
  amountMinor: number;
  currency: string;
  /** A staff test order (seed 000's test mode): shown as a test, nothing was charged. */
  isTest: boolean;
  dnsStatus: DnsStatus;
  nameservers: DomainNameservers[];
  createdAt: Date;
  completedAt: Date | null;
  items: CustomerOrderItem[];
}

export interface CustomerOrderItem {
  id: string;
  productName: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
  /** What the customer entered, with credentials (registrar API keys, passwords) hidden. */
  input: Record<string, unknown>;
  deliveries: { id: string; subject: string | null; status: FulfillmentStatus; result: Record<string, unknown> }[];
}

const NOT_YOURS = 'No order with this id in your account.';

export async function listCustomerOrders(em: EntityManager, userId: string): Promise<CustomerOrder[]> {
  const orders = await em.find(Order, { user: userId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return toCustomerOrders(em, orders);
}

/** Another customer's order is answered exactly as a missing one, so ids cannot be probed. */
export async function getCustomerOrder(em: EntityManager, userId: string, orderId: string): Promise<CustomerOrder> {
  const order = await em.findOne(Order, { id: orderId, user: userId });
  if (!order) throw new NotFoundError(NOT_YOURS);
  const [shaped] = await toCustomerOrders(em, [order]);
  if (!shaped) throw new NotFoundError(NOT_YOURS);
  return shaped;
}

async function toCustomerOrders(em: EntityManager, orders: Order[]): Promise<CustomerOrder[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((order) => order.id);
  const [items, records] = await Promise.all([
    em.find(OrderItem, { order: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(FulfillmentRecord, { order: { $in: ids } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
  ]);
  return orders.map((order) => ({
    id: order.id,
    orderCode: order.orderCode,
    status: order.status,
    fulfillmentStatus: order.fulfillmentStatus,
    amountMinor: order.amountMinor,
    currency: order.currency,
    isTest: order.isTest,
    dnsStatus: order.dnsStatus,
    nameservers: order.nameservers,
    createdAt: order.createdAt,
    completedAt: order.completedAt ?? null,
    items: items
      .filter((item) => item.order.id === order.id)
      .map((item) => ({
        id: item.id,
        productName: item.productName,
        quantity: item.quantity,
        unitPriceMinor: item.unitPriceMinor,
        currency: item.currency,
        input: redact(item.input),
        deliveries: records
          .filter((record) => record.orderItem.id === item.id)
          .map((record) => ({
            id: record.id,
            subject: record.subject ?? null,
            status: record.status,
            result: redact(record.result),
          })),
      })),
  }));
}
