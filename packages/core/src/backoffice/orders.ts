import type { OrderFulfillmentStatus, OrderStatus } from '@handover/contracts';
import { ActivityLog, FulfillmentRecord, FulfillmentStep, Order, OrderItem, PaymentEvent } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { activationViewOf } from '../activation/views';
import { NotFoundError } from '../errors';
import { reviewItemOf } from '../provisioning/reviewQueue';
import { redact } from '../security/redact';
import { listNotes } from './notes';
import { Conditions, containing, type KeysetOptions, type KeysetPage, keysetPage } from './sql';

export interface OrderFilter {
  /** One customer's orders only. */
  userId?: string;
  /** An order code, or part of an email, phone number or domain. */
  q?: string;
  status?: OrderStatus;
  fulfillmentStatus?: OrderFulfillmentStatus;
  createdFrom?: Date;
  createdTo?: Date;
}

export interface OrderRow {
  id: string;
  orderCode: string;
  /** The customer, for the link to their page. */
  userId: string;
  email: string;
  phone: string | null;
  status: OrderStatus;
  fulfillmentStatus: OrderFulfillmentStatus;
  paymentGateway: string | null;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
  isTest: boolean;
  createdAt: Date;
}

interface Row {
  id: string;
  cursor_at: string;
  order_code: string;
  user_id: string;
  email: string;
  phone: string | null;
  status: OrderStatus;
  fulfillment_status: OrderFulfillmentStatus;
  payment_gateway: string | null;
  amount_minor: number;
  refunded_minor: number;
  currency: string;
  is_test: boolean;
  created_at: Date;
}

/** The orders list's filter as SQL over `orders o` (the list, its totals and its export share it). */
export function orderConditions(filter: OrderFilter): Conditions {
  const where = new Conditions()
    .when(filter.userId, 'o.user_id = ?')
    .when(filter.status, 'o.status = ?')
    .when(filter.fulfillmentStatus, 'o.fulfillment_status = ?')
    .when(filter.createdFrom, 'o.created_at >= ?')
    .when(filter.createdTo, 'o.created_at <= ?');
  const q = filter.q?.trim();
  if (q) {
    const like = containing(q);
    // One index per way of matching (the code's unique index, trigram indexes on email, phone and
    // the records' subject), united: an OR across them, with the records' EXISTS, scans every order.
    where.add(
      `o.id in (select id from orders where order_code = ?
                union select id from orders where email ilike ?
                union select id from orders where phone ilike ?
                union select order_id from fulfillment_records where subject ilike ?)`,
      q.toUpperCase(),
      like,
      like,
      like,
    );
  }
  return where;
}

/** Orders newest first (or oldest), searched by code, email, phone or a record's domain. */
export async function listOrders(
  em: EntityManager,
  filter: OrderFilter,
  page: KeysetOptions,
): Promise<KeysetPage<OrderRow>> {
  const where = orderConditions(filter);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `o.id, o.order_code, o.user_id, o.email, o.phone, o.status, o.fulfillment_status, o.payment_gateway,
                o.amount_minor, o.refunded_minor, o.currency, o.is_test, o.created_at`,
      from: 'orders o',
      alias: 'o',
      where,
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: row.id,
      orderCode: row.order_code,
      userId: row.user_id,
      email: row.email,
      phone: row.phone,
      status: row.status,
      fulfillmentStatus: row.fulfillment_status,
      paymentGateway: row.payment_gateway,
      amountMinor: row.amount_minor,
      refundedMinor: row.refunded_minor,
      currency: row.currency,
      isTest: row.is_test,
      createdAt: new Date(row.created_at),
    })),
  };
}

/**
 * One order as staff see it: its items (form values redacted), fulfillment records, payment
 * events and activity. Never an inventory secret or a provider log body.
 */
export async function getOrderForStaff(em: EntityManager, orderId: string) {
  const order = await em.findOne(Order, { id: orderId });
  if (!order) throw new NotFoundError('No order with this id.');
  const [items, records, payments, notes] = await Promise.all([
    em.find(OrderItem, { order: orderId }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
    em.find(FulfillmentRecord, { order: orderId }, { orderBy: { createdAt: 'asc', position: 'asc' } }),
    em.find(PaymentEvent, { orderId }, { orderBy: { createdAt: 'asc' } }),
    listNotes(em, 'order', orderId),
  ]);
  const recordIds = records.map((r) => r.id);
  const review = await reviewItemOf(em, order);
  const failedIds = records.filter((r) => r.status === 'failed').map((r) => r.id);
  const failedSteps = new Map(
    (failedIds.length
      ? await em.find(FulfillmentStep, { record: failedIds, status: 'failed' }, { orderBy: { updatedAt: 'asc' } })
      : []
    ).map((step) => [step.record.id, step.name] as const),
  );
  const history = await em.find(
    ActivityLog,
    {
      $or: [
        { subjectType: 'order', subjectId: orderId },
        ...(recordIds.length ? [{ subjectType: 'fulfillment_record', subjectId: { $in: recordIds } }] : []),
      ],
    },
    { orderBy: { id: 'desc' }, limit: 200 },
  );
  return {
    id: order.id,
    orderCode: order.orderCode,
    email: order.email,
    phone: order.phone ?? null,
    userId: order.user.id,
    status: order.status,
    fulfillmentStatus: order.fulfillmentStatus,
    fulfillmentError: order.fulfillmentError ?? null,
    paymentGateway: order.paymentGateway ?? null,
    paymentReference: order.paymentReference ?? null,
    amountMinor: order.amountMinor,
    refundedMinor: order.refundedMinor,
    currency: order.currency,
    isTest: order.isTest,
    paidAt: order.paidAt ?? null,
    dnsStatus: order.dnsStatus,
    nameservers: order.nameservers,
    createdAt: order.createdAt,
    completedAt: order.completedAt ?? null,
    /** Seed 004: the review's decision (null until one), who took it, when and why. */
    review: {
      decision: order.reviewDecision ?? null,
      decidedAt: order.reviewedAt ?? null,
      decidedBy: order.reviewedBy ?? null,
      reason: order.reviewReason ?? null,
    },
    /** Seed 004 5a: shown once approved (or paid with a date to wait for). */
    activation: activationViewOf(order, records, failedSteps),
    /** What the activation the order carries before review (the customer's proposal). */
    proposedActivation: review.activation,
    serviceKind: order.serviceKind ?? null,
    billingAddress: order.billingAddress ?? null,
    customer: review.customer,
    history: review.history,
    items: items.map((item) => ({
      id: item.id,
      productId: item.product.id,
      productName: item.productName,
      driver: item.driver,
      quantity: item.quantity,
      unitPriceMinor: item.unitPriceMinor,
      currency: item.currency,
      input: redact(item.input),
    })),
    records: records.map((record) => ({
      id: record.id,
      orderItemId: record.orderItem.id,
      driver: record.driver,
      subject: record.subject ?? null,
      status: record.status,
      statusReason: record.statusReason ?? null,
      currentStep: record.currentStep ?? null,
      attempts: record.attempts,
      lastError: record.lastError ?? null,
      lastErrorCode: record.lastErrorCode ?? null,
      failedAt: record.failedAt ?? null,
      scheduledFor: record.scheduledFor ?? null,
      createdAt: record.createdAt,
      completedAt: record.completedAt ?? null,
    })),
    payments: payments.map((event) => ({
      id: event.id,
      gateway: event.gateway,
      type: event.type ?? null,
      status: event.status,
      paymentId: event.paymentId ?? null,
      error: event.error ?? null,
      createdAt: event.createdAt,
    })),
    activity: history.map(toActivityEntry),
    /** Staff notes, newest first. */
    notes,
  };
}

export type StaffOrder = Awaited<ReturnType<typeof getOrderForStaff>>;

export function toActivityEntry(entry: ActivityLog) {
  return {
    id: Number(entry.id),
    action: entry.action,
    description: entry.description,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId,
    actorType: entry.actorType,
    actorId: entry.actorId ?? null,
    properties: redact(entry.properties),
    createdAt: entry.createdAt,
  };
}
