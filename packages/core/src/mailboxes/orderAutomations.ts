import { FulfillmentRecord, Order, OrderAutomation } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { notifyInApp } from '../notifications/outbox';
import { emailAccountsCreatedNotice } from '../notifications/templates';
import { redact } from '../security/redact';
import { recordMailinActivity } from './activity';

/** A record's mailbox jobs, the newest first: a step looks at earlier ones before starting another. */
export function automationsOf(em: EntityManager, recordId: string): Promise<OrderAutomation[]> {
  return em.find(OrderAutomation, { record: recordId, actionType: 'mailbox' }, { orderBy: { createdAt: 'desc' } });
}

export function findAutomation(em: EntityManager, id: string): Promise<OrderAutomation | null> {
  return em.findOne(OrderAutomation, { id }, { refresh: true });
}

/** Seed 001 step 6.2: the job Mailin.ai started, `pending`, under the key it was asked with. */
export async function recordMailboxJob(
  em: EntityManager,
  input: { orderId: string; recordId: string; domain: string; idempotencyKey: string; jobUuid: string; count: number },
): Promise<OrderAutomation> {
  return em.transactional(async (tem) => {
    const existing = await tem.findOne(OrderAutomation, { idempotencyKey: input.idempotencyKey });
    if (existing) {
      existing.jobUuid = input.jobUuid;
      return existing;
    }
    const row = tem.create(OrderAutomation, {
      order: tem.getReference(Order, input.orderId),
      record: tem.getReference(FulfillmentRecord, input.recordId),
      actionType: 'mailbox',
      domain: input.domain,
      idempotencyKey: input.idempotencyKey,
      jobUuid: input.jobUuid,
      mailboxCount: input.count,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_mailbox_job_dispatched',
      orderId: input.orderId,
      description: `Mailin.ai job ${input.jobUuid} creates ${input.count} mailbox(es) on ${input.domain}`,
      properties: { domain: input.domain, recordId: input.recordId, jobUuid: input.jobUuid },
    });
    return row;
  });
}

/**
 * Seed 001 steps 6.4–6.5: the job completed; the customer is told in the app how many
 * mailboxes were made. Said once, however often the step looks again.
 */
export async function completeMailboxJob(
  em: EntityManager,
  input: { automationId: string; orderCode: string; userId: string; response: Record<string, unknown>; now: Date },
): Promise<void> {
  await em.transactional(async (tem) => {
    const row = await tem.findOneOrFail(OrderAutomation, { id: input.automationId }, { refresh: true });
    if (row.status === 'completed') return;
    Object.assign(row, {
      status: 'completed',
      completedAt: input.now,
      responseData: redact(input.response),
      errorMessage: null,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_mailboxes_created',
      orderId: row.order.id,
      description: `${row.mailboxCount} mailbox(es) created on ${row.domain}`,
      properties: { domain: row.domain, recordId: row.record.id, jobUuid: row.jobUuid },
    });
    notifyInApp(tem, {
      userId: input.userId,
      type: 'email_created',
      ...emailAccountsCreatedNotice({ orderCode: input.orderCode, domain: row.domain, count: row.mailboxCount }),
      data: { orderId: row.order.id, orderCode: input.orderCode, domain: row.domain, emailCount: row.mailboxCount },
    });
  });
}

/** Seed 001 error case 3: the job failed (or never finished); `failed` with its error, for a retry. */
export async function failMailboxJob(
  em: EntityManager,
  input: { automationId: string; message: string; response?: Record<string, unknown> },
): Promise<void> {
  await em.transactional(async (tem) => {
    const row = await tem.findOneOrFail(OrderAutomation, { id: input.automationId }, { refresh: true });
    if (row.status === 'failed') return;
    Object.assign(row, {
      status: 'failed',
      errorMessage: input.message,
      ...(input.response ? { responseData: redact(input.response) } : {}),
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_mailbox_creation_failed',
      orderId: row.order.id,
      description: `Mailbox creation on ${row.domain} failed: ${input.message}`,
      properties: { domain: row.domain, recordId: row.record.id, jobUuid: row.jobUuid },
    });
  });
}
