import { DnsCheck, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';

/** "Check now": looks up one record's domain at once, whatever its backoff says. In `em`'s transaction. */
export async function requestDnsCheck(em: EntityManager, recordId: string): Promise<void> {
  await addJob(em, jobSpec('verify_dns', { recordId }));
}

/**
 * The customer's "Check now" on their order page: looks up each domain of their order still
 * waiting for its nameservers. Another customer's order is answered as a missing one. Asking
 * again before a lookup has run adds nothing (one waiting job per domain).
 */
export async function requestCustomerDnsCheck(
  em: EntityManager,
  userId: string,
  orderId: string,
): Promise<{ domains: number }> {
  return em.transactional(async (tem) => {
    const order = await tem.findOne(Order, { id: orderId, user: userId }, { fields: ['id'] });
    if (!order) throw new NotFoundError('No order with this id.');
    const waiting = await tem.find(
      DnsCheck,
      { order: orderId, status: 'pending_verification' },
      { fields: ['record'] },
    );
    for (const check of waiting) await requestDnsCheck(tem, check.record.id);
    return { domains: waiting.length };
  });
}
