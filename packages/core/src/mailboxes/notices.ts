import { ActivityLog, PlatformCredential } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import { nameserverUpdateFailedMessage, privateSmtpOrderCreatedNotice } from '../notifications/templates';
import { recordMailinActivity } from './activity';

/**
 * Seed 001 step 5.1 and the "Order Created Notification": the order is in progress, said once
 * per order however many domains (records) it has and however often a step runs again.
 */
export async function announceOrderInProgress(
  em: EntityManager,
  order: { orderId: string; orderCode: string; userId: string },
): Promise<void> {
  await em.transactional(async (tem) => {
    // Several domains start at once: one of them says it.
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [
      `mailin_ai_order_status_in_progress:${order.orderId}`,
    ]);
    const told = await tem.count(ActivityLog, {
      action: 'mailin_ai_order_status_in_progress',
      subjectType: 'order',
      subjectId: order.orderId,
    });
    if (told > 0) return;
    recordMailinActivity(tem, {
      action: 'mailin_ai_order_status_in_progress',
      orderId: order.orderId,
      description: 'Private SMTP automation started: panel assignment skipped',
    });
    notifyInApp(tem, {
      userId: order.userId,
      type: 'order_status_change',
      ...privateSmtpOrderCreatedNotice({ orderCode: order.orderCode }),
      data: { orderId: order.orderId, orderCode: order.orderCode },
    });
  });
}

/**
 * Seed 001 step 5.4: the customer is emailed what failed and how to fix it. Once per order
 * until they resubmit (several domains failing with the same credentials send one email).
 */
export async function emailNameserverFailure(
  em: EntityManager,
  input: {
    credentialId: string;
    orderId: string;
    orderCode: string;
    recipient: string;
    domain: string;
    platform: string;
    code: string;
    reason: string;
    clientIp: string | null;
    portalUrl: string;
    now: Date;
  },
): Promise<boolean> {
  return em.transactional(async (tem) => {
    const credentials = await tem.findOne(
      PlatformCredential,
      { id: input.credentialId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (credentials?.draftNotifiedAt) return false;
    if (credentials) credentials.draftNotifiedAt = input.now;
    await queueMessage(tem, {
      channel: 'email',
      recipient: input.recipient,
      template: 'nameserver_update_failed',
      ...nameserverUpdateFailedMessage(input),
      data: { orderId: input.orderId, orderCode: input.orderCode, domain: input.domain, code: input.code },
    });
    return true;
  });
}

/**
 * Seed 001 step 8's `mailin_ai_order_completed`: every domain of the order now has its
 * mailboxes. Written by the last domain's step, once; the order's status itself follows its records.
 */
export async function announceOrderMailboxesComplete(
  em: EntityManager,
  input: { orderId: string; driver: string },
): Promise<void> {
  await em.transactional(async (tem) => {
    // Two domains finishing at once: the second to get here sees both sets of mailboxes.
    await tem.execute('select pg_advisory_xact_lock(hashtext(?))', [`mailin_ai_order_completed:${input.orderId}`]);
    const [row] = await tem.execute<{ open: number; told: number }[]>(
      `select (select count(*)::int from fulfillment_records r
                where r.order_id = ? and r.driver = ? and r.status not in ('failed', 'cancelled')
                  and not exists (select 1 from order_emails e
                                   where e.order_id = r.order_id and e.domain = r.subject
                                     and e.mailin_mailbox_id is not null)) as open,
              (select count(*)::int from activity_logs
                where subject_type = 'order' and subject_id = ? and action = 'mailin_ai_order_completed') as told`,
      [input.orderId, input.driver, input.orderId],
    );
    if (!row || row.open > 0 || row.told > 0) return;
    recordMailinActivity(tem, {
      action: 'mailin_ai_order_completed',
      orderId: input.orderId,
      description: 'Every domain of the order has its mailboxes',
    });
  });
}
