import { INVENTORY_STATUSES } from '@handover/contracts';
import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { createdAt, oneOf, p, updatedAt, uuidPk } from './common';
import { FulfillmentRecord } from './fulfillment';
import { Order } from './orders';

export const InventoryPool = defineEntity({
  name: 'InventoryPool',
  tableName: 'inventory_pools',
  properties: {
    id: uuidPk(),
    slug: p.string().length(120).unique(),
    name: p.string(),
    /** An alert is raised when available items drop under this number. */
    lowStockThreshold: p.integer().default(5),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type InventoryPool = InferEntity<typeof InventoryPool>;

/**
 * Seed 000's inventory: Available -> Reserved -> Assigned, released back on rollback; quarantined
 * instead when the rollback did not finish, until it does or ops decide.
 */
export const InventoryItem = defineEntity({
  name: 'InventoryItem',
  tableName: 'inventory_items',
  uniques: [{ properties: ['pool', 'email'] }],
  indexes: [{ properties: ['pool', 'status', 'createdAt'] }],
  properties: {
    id: uuidPk(),
    pool: () => p.manyToOne(InventoryPool),
    /** The account's login (seed 000: the Microsoft account email). */
    email: p.string().length(320),
    /** The account password, AES-256-GCM ciphertext with its key id. Never sent to customers. */
    secretEncrypted: p.text(),
    notes: p.text().nullable(),
    status: oneOf(INVENTORY_STATUSES).default('available'),
    order: () => p.manyToOne(Order).nullable().index(),
    record: () => p.manyToOne(FulfillmentRecord).nullable().index(),
    customerEmail: p.string().length(320).nullable(),
    domain: p.string().nullable(),
    reservedDate: p.datetime().nullable(),
    assignedDate: p.datetime().nullable(),
    /** Held back from the pool: a rollback that would have freed it did not finish. */
    quarantinedAt: p.datetime().nullable(),
    quarantineReason: p.text().nullable(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
});
export type InventoryItem = InferEntity<typeof InventoryItem>;
