import type {
  Address,
  DnsCheckStatus,
  DnsStatus,
  FulfillmentStatus,
  OrderFulfillmentStatus,
  OrderStatus,
  PaymentGatewayName,
  RefundDestination,
  ReviewDecision,
} from '@handover/contracts';
import {
  DnsCheck,
  type DomainNameservers,
  FulfillmentRecord,
  FulfillmentStep,
  Order,
  OrderItem,
  Payment,
  Refund,
} from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activationViewOf, type CustomerActivationView, customerActivationViewOf } from '../activation/views';
import { NotFoundError } from '../errors';
import type { DriverRegistry } from '../fulfillment/registry';
import { redact } from '../security/redact';

/** An order as its customer sees it: never another customer's, never a secret, never a provider log. */
export interface CustomerOrder {
  id: string;
  orderCode: string;
  status: OrderStatus;
  fulfillmentStatus: OrderFulfillmentStatus;
  /** A staff test order (seed 000 test mode): shown as such, never charged. */
  isTest: boolean;
  amountMinor: number;
  /** What went back to the customer (refunds that succeeded). */
  refundedMinor: number;
  currency: string;
  paymentGateway: PaymentGatewayName | null;
  /** The order's money in time order: the payment, then each refund (asked for, done, or refused). */
  money: CustomerMoneyEvent[];
  dnsStatus: DnsStatus;
  nameservers: DomainNameservers[];
  createdAt: Date;
  completedAt: Date | null;
  /**
   * Seed 004: "Awaiting review", then the decision (and why, when rejected); null for an order that
   * needed no review.
   */
  review: { state: 'awaiting' | ReviewDecision; decidedAt: Date | null; reason: string | null } | null;
  /** Seed 004 5a: how and when the service is activated, and how far it got; only once approved. */
  activation: CustomerActivationView | null;
  /** Seed 004: the billing (= service) address snapshotted on the order. */
  billingAddress: Address | null;
  items: CustomerOrderItem[];
}

export interface CustomerMoneyEvent {
  kind: 'payment' | 'refund';
  amountMinor: number;
  currency: string;
  /** A payment: `succeeded`; a refund: `pending`, `succeeded` or `failed`. */
  status: string;
  /** Where a refund goes: back the way it was paid, or to the wallet. */
  destination: RefundDestination | null;
  at: Date;
}

export interface CustomerOrderItem {
  id: string;
  productName: string;
  quantity: number;
  unitPriceMinor: number;
  currency: string;
  /** What the customer entered, with credentials (registrar API keys, passwords) hidden. */
  input: Record<string, unknown>;
  deliveries: CustomerDelivery[];
}

/** One fulfillment record as its customer follows it. */
export interface CustomerDelivery {
  id: string;
  /** The driver that delivers it: the portal shows the result with that driver's view. */
  driver: string;
  subject: string | null;
  status: FulfillmentStatus;
  /** Why it is in this status, in the customer's words (the engine writes these). */
  statusReason: string | null;
  /** When the next attempt or check is due, while waiting or retrying. */
  nextAttemptAt: Date | null;
  result: Record<string, unknown>;
  /** How the page names the result's keys, from the driver; null hides one. */
  resultLabels: Record<string, string | null>;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  timeline: { step: string; label: string; status: string; at: Date }[];
  /** For a domain handed nameservers (seed 000 phase 5): what the DNS checks found and when the next is. */
  dns: CustomerDnsCheck | null;
}

export interface CustomerDnsCheck {
  status: DnsCheckStatus;
  lastCheckedAt: Date | null;
  /** While waiting: when the next scheduled lookup is due. */
  nextCheckAt: Date | null;
  /** What the last lookup saw, so the customer can tell an old registrar setting. */
  lastSeenNameservers: string[];
}

const NOT_YOURS = 'No order with this id in your account.';

export async function listCustomerOrders(
  em: EntityManager,
  userId: string,
  registry?: DriverRegistry,
): Promise<CustomerOrder[]> {
  const orders = await em.find(Order, { user: userId }, { orderBy: { createdAt: 'desc', id: 'asc' } });
  return toCustomerOrders(em, orders, registry);
}

/** Another customer's order is answered exactly as a missing one, so ids cannot be probed. */
export async function getCustomerOrder(
  em: EntityManager,
  userId: string,
  where: { id: string } | { orderCode: string },
  registry?: DriverRegistry,
): Promise<CustomerOrder> {
  const order = await em.findOne(Order, { ...where, user: userId });
  if (!order) throw new NotFoundError(NOT_YOURS);
  const [shaped] = await toCustomerOrders(em, [order], registry);
  if (!shaped) throw new NotFoundError(NOT_YOURS);
  return shaped;
}

/** `reserve_account` → `Reserve account`, for steps without a label. */
const humanize = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');

async function toCustomerOrders(
  em: EntityManager,
  orders: Order[],
  registry?: DriverRegistry,
): Promise<CustomerOrder[]> {
  if (orders.length === 0) return [];
  const ids = orders.map((order) => order.id);
  const [items, records] = await Promise.all([
    em.find(OrderItem, { order: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(FulfillmentRecord, { order: { $in: ids } }, { orderBy: { position: 'asc', createdAt: 'asc' } }),
  ]);
  const steps = await em.find(
    FulfillmentStep,
    { record: { $in: records.map((r) => r.id) } },
    {
      orderBy: { position: 'asc' },
      fields: ['record', 'name', 'status', 'output', 'startedAt', 'finishedAt', 'updatedAt'],
    },
  );
  const [payments, refunds] = await Promise.all([
    em.find(Payment, { order: { $in: ids } }, { orderBy: { paidAt: 'asc' } }),
    em.find(Refund, { order: { $in: ids } }, { orderBy: { createdAt: 'asc' } }),
  ]);
  const moneyOf = (orderId: string): CustomerMoneyEvent[] =>
    [
      ...payments
        .filter((payment) => payment.order?.id === orderId)
        .map((payment) => ({
          kind: 'payment' as const,
          amountMinor: payment.amountMinor,
          currency: payment.currency,
          status: 'succeeded',
          destination: null,
          at: payment.paidAt,
        })),
      ...refunds
        .filter((refund) => refund.order.id === orderId)
        .map((refund) => ({
          kind: 'refund' as const,
          amountMinor: refund.amountMinor,
          currency: refund.currency,
          status: refund.status,
          destination: refund.destination,
          at: refund.completedAt ?? refund.createdAt,
        })),
    ].sort((a, b) => a.at.getTime() - b.at.getTime());
  const checks = new Map(
    (await em.find(DnsCheck, { order: { $in: ids } })).map((check) => [check.record.id, check] as const),
  );
  const dnsOf = (recordId: string): CustomerDnsCheck | null => {
    const check = checks.get(recordId);
    if (!check) return null;
    return {
      status: check.status,
      lastCheckedAt: check.lastCheckedAt ?? null,
      nextCheckAt: check.status === 'pending_verification' ? check.nextCheckAt : null,
      lastSeenNameservers: check.lastSeenNameservers ?? [],
    };
  };
  const labelOf = (driver: string, step: string) =>
    (registry?.has(driver) ? registry.get(driver).steps.find((s) => s.name === step)?.label : undefined) ??
    humanize(step);
  const delivery = (record: FulfillmentRecord): CustomerDelivery => ({
    id: record.id,
    driver: record.driver,
    subject: record.subject ?? null,
    status: record.status,
    statusReason: record.statusReason ?? null,
    nextAttemptAt: record.nextAttemptAt ?? null,
    result: redact(record.result),
    resultLabels: (registry?.has(record.driver) ? registry.get(record.driver).resultLabels : undefined) ?? {},
    createdAt: record.createdAt,
    startedAt: record.startedAt ?? null,
    completedAt: record.completedAt ?? null,
    timeline: steps
      // A hybrid product's steps of the paths the customer did not choose are passed over, unseen.
      .filter((step) => step.record.id === record.id && step.output?.skipped !== true)
      .map((step) => ({
        step: step.name,
        label: labelOf(record.driver, step.name),
        // A step that failed and was undone is shown as undone; the customer needs no more.
        status: step.status,
        at: step.finishedAt ?? step.startedAt ?? step.updatedAt,
      })),
    dns: dnsOf(record.id),
  });
  return orders.map((order) => ({
    id: order.id,
    orderCode: order.orderCode,
    status: order.status,
    fulfillmentStatus: order.fulfillmentStatus,
    isTest: order.isTest,
    amountMinor: order.amountMinor,
    refundedMinor: order.refundedMinor,
    currency: order.currency,
    paymentGateway: order.paymentGateway ?? null,
    money: moneyOf(order.id),
    dnsStatus: order.dnsStatus,
    nameservers: order.nameservers,
    createdAt: order.createdAt,
    completedAt: order.completedAt ?? null,
    review:
      order.status === 'pending_review'
        ? { state: 'awaiting' as const, decidedAt: null, reason: null }
        : order.reviewDecision
          ? {
              state: order.reviewDecision,
              decidedAt: order.reviewedAt ?? null,
              reason: order.reviewDecision === 'rejected' ? (order.reviewReason ?? null) : null,
            }
          : null,
    activation: customerActivationViewOf(
      activationViewOf(
        order,
        records.filter((record) => record.order.id === order.id),
      ),
    ),
    billingAddress: order.billingAddress ?? null,
    items: items
      .filter((item) => item.order.id === order.id)
      .map((item) => ({
        id: item.id,
        productName: item.productName,
        quantity: item.quantity,
        unitPriceMinor: item.unitPriceMinor,
        currency: item.currency,
        input: redact(item.input),
        deliveries: records.filter((record) => record.orderItem.id === item.id).map(delivery),
      })),
  }));
}
