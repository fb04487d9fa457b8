import type { M365DomainOrderForm } from '@handover/contracts/drivers/m365-domain';
import { DEFAULT_RETRY_POLICY } from '@handover/core';
import { Product, type RetryPolicy } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** Seed 000's product, as the demo seeds it: the `m365-domain` driver on an inventory pool. */
export async function createM365DomainProduct(
  em: EntityManager,
  { slug, pool, retryPolicy = DEFAULT_RETRY_POLICY }: { slug: string; pool: string; retryPolicy?: RetryPolicy },
): Promise<Product> {
  const product = em.create(Product, {
    slug,
    name: 'Microsoft 365 email domain',
    priceMinor: 4900,
    currency: 'USD',
    deliveryModel: 'domain_provisioning',
    fulfillmentDriver: 'm365-domain',
    fulfillmentConfig: { inventoryPool: pool },
    retryPolicy,
  });
  await em.flush();
  return product;
}

/** Seed 000's order form for `domains`, each forwarding to example.com for John and Jane. */
export function m365OrderForm(domains: string[], email = 'customer@example.com'): M365DomainOrderForm {
  return {
    email,
    phone: '+1 415 555 0100',
    domains: domains.map((domain) => ({
      domain,
      forwardingUrl: 'https://example.com',
      names: ['John Doe', 'Jane Smith'],
    })),
  };
}
