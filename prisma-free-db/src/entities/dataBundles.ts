import { defineEntity, type InferEntity } from '@mikro-orm/core';
import { Product } from './catalog';
import { createdAt, p, updatedAt, uuidPk } from './common';
import { User } from './users';

/**
 * A reseller's shop (seed 002: "customer tracked if the user has a shop"). An account with a
 * shop sees the phone numbers it bought bundles for, with totals.
 */
export const ResellerShop = defineEntity({
  name: 'ResellerShop',
  tableName: 'reseller_shops',
  properties: {
    id: uuidPk(),
    user: () => p.oneToOne(User).owner().unique().deleteRule('cascade'),
    name: p.string().length(100),
    createdAt: createdAt(),
  },
});
export type ResellerShop = InferEntity<typeof ResellerShop>;

/**
 * The last time a customer started buying one package for one number (seed 002's duplicate
 * order prevention). Its row lock makes two purchases of the same package for the same number
 * at the same moment take turns, so the second is asked to confirm instead of buying twice.
 */
export const BundlePurchaseGuard = defineEntity({
  name: 'BundlePurchaseGuard',
  tableName: 'bundle_purchase_guards',
  uniques: [{ properties: ['user', 'product', 'phoneNumber'] }],
  properties: {
    id: uuidPk(),
    user: () => p.manyToOne(User).deleteRule('cascade'),
    product: () => p.manyToOne(Product).deleteRule('cascade'),
    /** E.164. */
    phoneNumber: p.string().length(32),
    startedAt: p.datetime(),
    /** The order the last purchase made, once it exists (a wallet purchase at once, a gateway's when paid). */
    orderCode: p.string().length(32).nullable(),
    updatedAt: updatedAt(),
  },
});
export type BundlePurchaseGuard = InferEntity<typeof BundlePurchaseGuard>;
