import {
  ACTIVATION_TYPES,
  type ActivationType,
  type Address,
  DNS_STATUSES,
  ORDER_FULFILLMENT_STATUSES,
  ORDER_STATUSES,
  PAYMENT_GATEWAYS,
  PENDING_ORDER_PURPOSES,
  PENDING_ORDER_STATUSES,
  REVIEW_DECISIONS,
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
  /** Seed 004 5a: how the line's service is activated, as checkout settled it (absent: at once). */
  activation?: { type: ActivationType; at: string | null; timeZone: string | null };
  /** Seed 004: the service's kind (one per account or not) and its billing (= service) address, snapshotted at checkout. */
  service?: { kind: string | null; onePerAccount: boolean; billingAddress: Address | null };
}

/** What a preflight found missing before a scheduled activation (seed 004 5a). */
export interface PreflightProblem {
  /** The check that found it (`payment_method_on_file`, or the driver's). */
  check: string;
  /** In the customer's words: what to do. */
  problem: string;
  /** For ops: what exactly was seen. */
  detail: string;
  /** Whether the customer can fix it (else only ops are told). */
  customerCanFix: boolean;
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
    /** Seed 004: the checkout this one was split from (one service per order), shared by its siblings. */
    groupId: p.uuid().nullable().index(),
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
    // Seed 004: the review queue, oldest first, without a scan.
    {
      name: 'orders_pending_review_index',
      expression:
        'create index "orders_pending_review_index" on "orders" ("created_at") where "status" = \'pending_review\'',
    },
    // Seed 004 5a: scheduled activations not started yet, by date (the activation cron).
    {
      name: 'orders_activation_due_index',
      expression:
        'create index "orders_activation_due_index" on "orders" ("activation_scheduled_at") where "activation_type" = \'scheduled\' and "activation_started_at" is null',
    },
    // Seed 004: a customer's services of one kind (one home Internet per account).
    {
      name: 'orders_user_service_kind_index',
      expression:
        'create index "orders_user_service_kind_index" on "orders" ("user_id", "service_kind") where "service_kind" is not null',
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
    /** Seed 004: the operator's decision on an order that waited for review. */
    reviewDecision: oneOf(REVIEW_DECISIONS).nullable(),
    reviewedAt: p.datetime().nullable(),
    /** Who decided: the staff member's email, or the name the operator system gave. */
    reviewedBy: p.string().length(320).nullable(),
    /** Why it was rejected, as the customer is told. */
    reviewReason: p.text().nullable(),
    /** Seed 004 5a: Activation_Type__c, from the product, overridden per order by ops. */
    activationType: oneOf(ACTIVATION_TYPES).default('immediate'),
    /** Activation_Scheduled_At__c: the instant; its zone is beside it. */
    activationScheduledAt: p.datetime().nullable(),
    /** The IANA zone the date was chosen in: shown in it, and the preflight counts back in it. */
    activationTimeZone: p.string().length(64).nullable(),
    /** When the preflight runs: T−3 days on the zone's calendar. */
    activationPreflightAt: p.datetime().nullable(),
    /** When the scheduled records were started: the date came, or ops pressed Activate now. */
    activationStartedAt: p.datetime().nullable(),
    /** The last preflight, and what it found missing (empty when nothing). */
    preflightCheckedAt: p.datetime().nullable(),
    preflightProblems: p.json<PreflightProblem[]>().nullable(),
    /** Seed 004: the kind of service ordered (one home Internet per account). */
    serviceKind: p.string().length(64).nullable(),
    /** Seed 004: the billing address (= service address) as it was when the order was placed. */
    billingAddress: p.json<Address>().nullable(),
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
