import { AdminAlert } from '@handover/db';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queueMessage } from '../notifications/outbox';
import { recordAlertEvent } from './alerts';

/** Who hears of alerts: ops' mailboxes and a chat webhook (Slack's incoming webhooks, or any that takes its JSON). */
export interface AlertRecipients {
  emails: readonly string[];
  webhookUrl: string | null;
  /** The back office, for a link to the alert list. */
  backOfficeUrl: string | null;
}

/**
 * Tells ops of every alert raised, and every one resolved, since the last run: an email to each
 * ops address and a post to the webhook, through the outbox (so each goes out once, retried by
 * itself). Each alert is told of once when raised and once when resolved (one message when it
 * was resolved before it was ever told of). Returns how many alerts were told of.
 */
export async function deliverAlerts(em: EntityManager, recipients: AlertRecipients, now: Date): Promise<number> {
  return em.transactional(async (tem) => {
    const raised = await tem.find(
      AdminAlert,
      { notifiedAt: null },
      { orderBy: { createdAt: 'asc' }, limit: 100, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    const resolved = await tem.find(
      AdminAlert,
      { notifiedAt: { $ne: null }, resolvedAt: { $ne: null }, resolutionNotifiedAt: null },
      { orderBy: { resolvedAt: 'asc' }, limit: 100, lockMode: LockMode.PESSIMISTIC_PARTIAL_WRITE },
    );
    for (const alert of raised) {
      await tell(tem, recipients, alert, alert.resolvedAt ? 'raised and resolved' : 'raised');
      alert.notifiedAt = now;
      if (alert.resolvedAt) alert.resolutionNotifiedAt = now;
      recordAlertEvent(tem, alert, 'notified', channels(recipients), now);
    }
    for (const alert of resolved) {
      await tell(tem, recipients, alert, 'resolved');
      alert.resolutionNotifiedAt = now;
      recordAlertEvent(tem, alert, 'notified', `resolution: ${channels(recipients)}`, now);
    }
    return raised.length + resolved.length;
  });
}

function channels(recipients: AlertRecipients): string {
  const to = [...recipients.emails, ...(recipients.webhookUrl ? ['the ops webhook'] : [])];
  return to.length > 0 ? `sent to ${to.join(', ')}` : 'no ops email or webhook is set up';
}

type Moment = 'raised' | 'resolved' | 'raised and resolved';

async function tell(em: EntityManager, recipients: AlertRecipients, alert: AdminAlert, moment: Moment): Promise<void> {
  const head = moment === 'raised' ? alert.severity.toUpperCase() : 'RESOLVED';
  const subject = `[Handover ${head}] ${alert.type.replaceAll('_', ' ')}`;
  const link = recipients.backOfficeUrl
    ? `${recipients.backOfficeUrl.replace(/\/$/, '')}/#/alerts/${alert.id}/show`
    : null;
  const lines = [
    alert.message,
    '',
    moment === 'raised'
      ? `Raised ${alert.createdAt.toISOString()}. It stays open until its condition clears or someone acknowledges it.`
      : `Raised ${alert.createdAt.toISOString()}, resolved ${alert.resolvedAt?.toISOString()}.`,
    ...(link ? [`In the back office: ${link}`] : []),
    'What it means and what to do: docs/runbook.md',
  ];
  const key = `alert:${alert.id}:${moment === 'resolved' ? 'resolved' : 'raised'}`;
  for (const email of recipients.emails) {
    await queueMessage(em, {
      channel: 'email',
      recipient: email,
      template: 'ops_alert',
      subject,
      body: lines.join('\n'),
      data: { alertId: alert.id, moment },
      dedupeKey: `${key}:${email}`,
    });
  }
  if (recipients.webhookUrl) {
    const text = `*${subject}*\n${alert.message}${link ? `\n<${link}|Open in the back office>` : ''}`;
    await queueMessage(em, {
      channel: 'webhook',
      recipient: recipients.webhookUrl,
      template: 'ops_alert',
      subject,
      // Slack's incoming-webhook JSON; the fields after `text` are for other receivers.
      body: JSON.stringify({
        text,
        alert: {
          id: alert.id,
          type: alert.type,
          severity: alert.severity,
          state: moment === 'raised' ? 'open' : 'resolved',
          message: alert.message,
          key: alert.dedupeKey ?? null,
        },
      }),
      data: { alertId: alert.id, moment },
      dedupeKey: `${key}:webhook`,
    });
  }
}
