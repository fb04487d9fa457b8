import { DnsCheck, type DomainNameservers, FulfillmentRecord, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { lockOrder } from '../fulfillment/orderStatus';

export interface DomainDelivery {
  orderId: string;
  recordId: string;
  domain: string;
  /** What the customer must set at their registrar (seed 000 step 3.4). */
  nameservers: string[];
  /** The driver's details for the order's fulfillment_results entry (never a secret). */
  details: Record<string, unknown>;
  now: Date;
}

/** Replaces the entry for the same domain, or adds it; entries are kept in the order form's order. */
function upsertByDomain<T extends { domain?: unknown }>(list: readonly T[], entry: T, formOrder: string[]): T[] {
  const place = (item: T) => formOrder.indexOf(String(item.domain));
  return [...list.filter((item) => item.domain !== entry.domain), entry].sort((a, b) => place(a) - place(b));
}

/**
 * Seed 000 step 3.6: the domain's nameservers and results go on the order, its dns_status
 * becomes `pending_verification`, and the DNS cron starts looking for the delegation. Under
 * the order's lock, so the records of a multi-domain order never overwrite each other; a
 * repeat (after a crash) replaces this domain's entries.
 */
export async function recordDomainDelivery(em: EntityManager, delivery: DomainDelivery): Promise<void> {
  const { orderId, recordId, domain, nameservers, details, now } = delivery;
  await em.transactional(async (tem) => {
    await lockOrder(tem, orderId);
    const order = await tem.findOneOrFail(Order, { id: orderId }, { refresh: true });
    // Domains finish in any order; the customer sees them as they were entered.
    const records = await tem.find(
      FulfillmentRecord,
      { order: orderId },
      { fields: ['subject'], orderBy: { orderItem: { createdAt: 'asc' }, position: 'asc' } },
    );
    const formOrder = records.map((record) => record.subject ?? '');
    const entry: DomainNameservers = { domain, nameservers, dns_verified: false };
    order.nameservers = upsertByDomain(order.nameservers, entry, formOrder);
    order.fulfillmentResults = upsertByDomain(
      order.fulfillmentResults,
      { domain, ...details, nameservers, status: 'completed' },
      formOrder,
    );
    order.dnsStatus = 'pending_verification';
    order.updatedAt = now;

    // A re-run may bring new nameservers: the check starts over, backoff and alert included.
    await tem.nativeDelete(DnsCheck, { record: recordId });
    tem.create(DnsCheck, {
      record: recordId,
      order: orderId,
      domain,
      expectedNameservers: nameservers,
      nextCheckAt: now,
      createdAt: now,
    });
  });
}
