import { FulfillmentRecord, type Product, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What a marketplace driver tells its provider about the product and the customer of a record. */
export interface RecordProductFacts {
  productId: string;
  slug: string;
  name: string;
  /** Seed 003 §5.1: the provider, and the product's id there. */
  externalProvider: string | null;
  externalProductRef: string | null;
  /** Seed 003 §5.4: the free trial, when the product offers one. */
  trialDays: number | null;
  customerName: string;
}

export async function recordProductFacts(em: EntityManager, recordId: string): Promise<RecordProductFacts> {
  const record = await em.findOneOrFail(FulfillmentRecord, { id: recordId }, { populate: ['product', 'order'] });
  const product = record.product as Product;
  const user = await em.findOne(User, { id: record.order.user.id });
  return {
    productId: product.id,
    slug: product.slug,
    name: product.name,
    externalProvider: product.externalProvider ?? null,
    externalProductRef: product.externalProductRef ?? null,
    trialDays: product.supportsTrial ? (product.trialDays ?? null) : null,
    customerName: user?.name || (user?.email.split('@')[0] ?? 'Customer'),
  };
}
