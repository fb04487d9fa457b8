import {
  DNS_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  ORDER_STATUSES,
  PAYMENT_GATEWAYS,
  PENDING_ORDER_PURPOSES,
  PENDING_ORDER_STATUSES,
} from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Product } from './catalog';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { User } from './users';

/** One line of an order form, as the customer submitted it (validated by the driver's input schema). */
export interface OrderLineInput {
  productId: string;
  quantity: number;
  input: Record<string, unknown>;
}

/** A checked order line as checkout priced it: the order is made from this, whatever the product costs later. */
export interface PendingOrderLine extends OrderLineInput {
  productName: string;
  unitPriceMinor: number;
}

export const PendingOrder = defineEntity({
  name: 'PendingOrder',
  tableName: 'pending_orders',
  indexes: [{ properties: ['status', 'expiresAt'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).nullable().index(),
    email: p.string().length(320),
    phone: p.string().length(32).nullable(),
    purpose: oneOf(PENDING_ORDER_PURPOSES).default('order'),
    /** Empty for a wallet top-up. */
    items: p.json<PendingOrderLine[]>(),
    amountMinor: p.integer(),
    currency: p.string().length(3),
    paymentGateway: oneOf(PAYMENT_GATEWAYS),
    gatewaySessionId: p.string().nullable().index(),
    status: oneOf(PENDING_ORDER_STATUSES).default('pending_payment'),
    /** The gateway's reason for the last declined attempt; the checkout stays open for another. */
    lastPaymentError: p.text().nullable(),
    isTest: p.boolean().default(false),
    expiresAt: p.datetime(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type PendingOrder = InferEntity<typeof PendingOrder>;

export interface DomainNameservers {
  domain: string;
  nameservers: string[];
  dns_verified: boolean;
}

export const Order = defineEntity({
  name: 'Order',
  tableName: 'orders',
  // The back office pages orders by (created_at, id) and finds them by any part of an email or phone (pg_trgm).
  indexes: [
    { properties: ['createdAt', 'id'] },
    {
      name: 'orders_email_trgm',
      expression: 'create index "orders_email_trgm" on "orders" using gin ("email" gin_trgm_ops)',
    },
    {
      name: 'orders_phone_trgm',
      expression: 'create index "orders_phone_trgm" on "orders" using gin ("phone" gin_trgm_ops)',
    },
  ],
  properties: {
    id: uuidPk(),
    /** Short human code shown to customers and support (e.g. HO-7K3Q9X). */
    orderCode: p.string().length(32).unique(),
    user: () => p.manyToOne(User).index(),
    email: p.string().length(320).index(),
    phone: p.string().length(32).nullable(),
    pendingOrder: () => p.oneToOne(PendingOrder).nullable().unique(),
    status: oneOf(ORDER_STATUSES).default('paid'),
    fulfillmentStatus: oneOf(ORDER_FULFILLMENT_STATUSES).default('pending').index(),
    fulfillmentError: p.text().nullable(),
    paymentGateway: oneOf(PAYMENT_GATEWAYS).nullable(),
    paymentReference: p.string().nullable(),
    amountMinor: p.integer(),
    refundedMinor: p.integer().default(0),
    currency: p.string().length(3),
    isTest: p.boolean().default(false),
    paidAt: p.datetime().nullable(),
    /** Seed 000: DNS verification of the nameservers handed to the customer. */
    dnsStatus: oneOf(DNS_STATUSES).default('not_applicable'),
    dnsLastChecked: p.datetime().nullable(),
    nameservers: p.json<DomainNameservers[]>().defaultRaw(`'[]'`),
    fulfillmentResults: p.json<Record<string, unknown>[]>().defaultRaw(`'[]'`),
    completedAt: p.datetime().nullable(),
    createdAt: createdAt().index(),
    updatedAt: updatedAt(),
  },
});
export type Order = InferEntity<typeof Order>;

export const OrderItem = defineEntity({
  name: 'OrderItem',
  tableName: 'order_items',
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').index(),
    product: () => p.manyToOne(Product).index(),
    /** Product name and driver at the time of purchase. */
    productName: p.string(),
    driver: p.string().length(64),
    quantity: p.integer().default(1),
    unitPriceMinor: p.integer(),
    currency: p.string().length(3),
    /** The order form's values for this line (the snapshot the driver works from). */
    input: p.json<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
});
export type OrderItem = InferEntity<typeof OrderItem>;
