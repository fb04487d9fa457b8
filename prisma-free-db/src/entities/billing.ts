import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, p, updatedAt, uuidPk } from './common';
import { Order } from './orders';
import { User } from './users';

/**
 * Seed 004's customer mapping: a portal user, their client in the billing system (WHMCS) and
 * their account in the operator system. One per user and one per billing client: retries and
 * concurrent sign-ups find the row (and the client) instead of making a second.
 */
export const BillingAccount = defineEntity({
  name: 'BillingAccount',
  tableName: 'billing_accounts',
  uniques: [{ properties: ['system', 'externalClientId'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade').unique(),
    /** The billing system, as ops read it (`WHMCS`). */
    system: p.string().length(32),
    /** The billing system's client id. */
    externalClientId: p.string().length(64),
    /** The customer number the client was created with (the operator system's account number). */
    customerNumber: p.string().length(32).nullable(),
    /** The operator system's account id, once an order from it named one. */
    operatorAccountId: p.string().length(64).nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type BillingAccount = InferEntity<typeof BillingAccount>;

/**
 * Seed 004: the operator system's order (Salesforce's Order Id) that stands for a Handover order,
 * named by the operator system's provisioning call. Its write-back goes to this id.
 */
export const OperatorOrder = defineEntity({
  name: 'OperatorOrder',
  tableName: 'operator_orders',
  properties: {
    id: uuidPk(),
    order: () => p.manyToOne(Order).deleteRule('cascade').unique(),
    operatorOrderId: p.string().length(64).unique(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type OperatorOrder = InferEntity<typeof OperatorOrder>;
