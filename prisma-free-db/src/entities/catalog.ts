import { DELIVERY_MODELS, PAYMENT_GATEWAYS, type PaymentGatewayName, type ServiceRules } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';

/** A product's retry policy (seed 000: 3 attempts, 2 s then 4 s; seed 002: 5 min, 15 min, 1 h). */
export interface RetryPolicy {
  maxAttempts: number;
  /** Waits before attempt 2, 3, ...; the last value repeats. */
  backoffSeconds: number[];
}

export const Product = defineEntity({
  name: 'Product',
  tableName: 'products',
  properties: {
    id: uuidPk(),
    slug: p.string().length(120).unique(),
    name: p.string(),
    description: p.text().default(''),
    /** What the customer receives, in a sentence, shown in the catalog. */
    deliverySummary: p.text().default(''),
    priceMinor: p.integer(),
    currency: p.string().length(3).default('USD'),
    deliveryModel: oneOf(DELIVERY_MODELS),
    fulfillmentDriver: p.string().length(64),
    fulfillmentConfig: p.json<Record<string, unknown>>().defaultRaw(`'{}'`),
    externalProvider: p.string().nullable(),
    externalProductRef: p.string().nullable(),
    enabledPaymentGateways: p.json<PaymentGatewayName[]>().defaultRaw(`'["sandbox"]'`),
    defaultPaymentGateway: oneOf(PAYMENT_GATEWAYS).default('sandbox'),
    retryPolicy: p.json<RetryPolicy>().nullable(),
    requiresReview: p.boolean().default(false),
    activation: p.enum(['immediate', 'scheduled'] as const).default('immediate'),
    /** Seed 004 5a: the customer chooses the activation date at checkout (scheduled products). */
    activationDateByCustomer: p.boolean().default(false),
    /** Seed 004's business rules (contracts' serviceRulesSchema); `{}` imposes none. */
    serviceRules: p.json<Partial<ServiceRules>>().defaultRaw(`'{}'`),
    isRecurring: p.boolean().default(false),
    billingInterval: p.enum(['month', 'year'] as const).nullable(),
    supportsTrial: p.boolean().default(false),
    trialDays: p.integer().nullable(),
    isActive: p.boolean().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type Product = InferEntity<typeof Product>;
