import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity, SYSTEM } from '../activity/activity';

/**
 * Seed 001's activity log events, each on the order (the seed's subject): the order set in
 * progress, to draft and completed, a domain's transfer, nameservers and activation, and each
 * mailbox job. The record's own status changes are logged by the engine beside these.
 */
export type MailinActivity =
  | 'mailin_ai_order_status_in_progress'
  | 'mailin_ai_order_set_to_draft'
  | 'mailin_ai_order_resubmitted'
  | 'mailin_ai_order_completed'
  | 'mailin_ai_domain_transfer_initiated'
  | 'mailin_ai_domain_transfer_failed'
  | 'mailin_ai_nameservers_updated'
  | 'mailin_ai_nameserver_update_failed'
  | 'mailin_ai_domain_transfer_completed'
  | 'mailin_ai_mailbox_job_dispatched'
  | 'mailin_ai_mailboxes_created'
  | 'mailin_ai_mailbox_creation_failed'
  | 'mailin_ai_mailbox_password_revealed';

export function recordMailinActivity(
  em: EntityManager,
  entry: {
    action: MailinActivity;
    orderId: string;
    description: string;
    properties?: Record<string, unknown>;
    actor?: Actor;
  },
): void {
  recordActivity(em, {
    action: entry.action,
    subjectType: 'order',
    subjectId: entry.orderId,
    actor: entry.actor ?? SYSTEM,
    description: entry.description,
    properties: entry.properties ?? {},
  });
}
