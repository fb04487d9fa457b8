import type { WebhookAttemptTrigger, WebhookDeliveryStatus } from '@handover/contracts';
import { WebhookAttempt, WebhookDelivery } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { SessionUser } from '../accounts/sessions';
import { recordActivity } from '../activity/activity';
import { Conditions, type KeysetOptions, type KeysetPage, keysetPage } from '../backoffice/sql';
import { NotFoundError } from '../errors';
import { addJob, jobSpec } from '../jobs/addJob';
import { findEndpointFor } from './endpoints';

export interface WebhookDeliveryRow {
  id: string;
  endpointId: string;
  url: string;
  eventType: string;
  messageId: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface WebhookAttemptView {
  id: number;
  trigger: WebhookAttemptTrigger;
  url: string;
  requestHeaders: Record<string, string>;
  responseStatus: number | null;
  responseHeaders: Record<string, string> | null;
  responseBody: string | null;
  error: string | null;
  durationMs: number;
  attemptedAt: Date;
}

/** A delivery with what was sent (the payload, the same on every attempt) and every answer. */
export interface WebhookDeliveryDetail extends WebhookDeliveryRow {
  payload: Record<string, unknown>;
  history: WebhookAttemptView[];
}

export interface WebhookDeliveryFilter {
  endpointId?: string;
  /** Only the deliveries of this person's endpoints (a customer's own list). */
  ownerId?: string;
  status?: WebhookDeliveryStatus;
  eventType?: string;
}

interface Row {
  id: string;
  cursor_at: string;
  endpoint_id: string;
  url: string;
  event_type: string;
  message_id: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  next_attempt_at: Date | null;
  last_response_status: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  created_at: Date;
}

const date = (value: Date | string | null) => (value === null ? null : new Date(value));

/** Deliveries newest first, a keyset page at a time. */
export async function listWebhookDeliveries(
  em: EntityManager,
  filter: WebhookDeliveryFilter,
  page: KeysetOptions,
): Promise<KeysetPage<WebhookDeliveryRow>> {
  const where = new Conditions()
    .when(filter.endpointId, 'd.endpoint_id = ?')
    .when(filter.ownerId, 'e.user_id = ?')
    .when(filter.status, 'd.status = ?')
    .when(filter.eventType, 'd.event_type = ?');
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `d.id, d.endpoint_id, e.url, d.event_type, d.message_id, d.status, d.attempts, d.next_attempt_at,
                d.last_response_status, d.last_error, d.delivered_at, d.created_at`,
      from: 'webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id',
      alias: 'd',
      where,
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      url: row.url,
      eventType: row.event_type,
      messageId: row.message_id,
      status: row.status,
      attempts: row.attempts,
      nextAttemptAt: date(row.next_attempt_at),
      lastResponseStatus: row.last_response_status,
      lastError: row.last_error,
      deliveredAt: date(row.delivered_at),
      createdAt: new Date(row.created_at),
    })),
  };
}

async function findDeliveryFor(em: EntityManager, id: string, by: SessionUser): Promise<WebhookDelivery> {
  const delivery = await em.findOne(WebhookDelivery, id, { populate: ['endpoint'] });
  if (!delivery) throw new NotFoundError('No such webhook delivery.');
  // Owner or admin; anyone else is told it does not exist.
  await findEndpointFor(em, delivery.endpoint.id, by).catch(() => {
    throw new NotFoundError('No such webhook delivery.');
  });
  return delivery;
}

/** One delivery: the payload sent and each attempt's request headers and answer. */
export async function getWebhookDelivery(
  em: EntityManager,
  id: string,
  by: SessionUser,
): Promise<WebhookDeliveryDetail> {
  const delivery = await findDeliveryFor(em, id, by);
  const attempts = await em.find(WebhookAttempt, { delivery: id }, { orderBy: { attemptedAt: 'desc', id: 'desc' } });
  return {
    id: delivery.id,
    endpointId: delivery.endpoint.id,
    url: delivery.endpoint.url,
    eventType: delivery.eventType,
    messageId: delivery.messageId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: delivery.nextAttemptAt ?? null,
    lastResponseStatus: delivery.lastResponseStatus ?? null,
    lastError: delivery.lastError ?? null,
    deliveredAt: delivery.deliveredAt ?? null,
    createdAt: delivery.createdAt,
    payload: delivery.payload,
    history: attempts.map((a) => ({
      id: a.id,
      trigger: a.trigger,
      url: a.url,
      requestHeaders: a.requestHeaders,
      responseStatus: a.responseStatus ?? null,
      responseHeaders: a.responseHeaders ?? null,
      responseBody: a.responseBody ?? null,
      error: a.error ?? null,
      durationMs: a.durationMs,
      attemptedAt: a.attemptedAt,
    })),
  };
}

/** "Redeliver": one more attempt now, with the same webhook-id, whatever the delivery's status. */
export async function redeliverWebhook(em: EntityManager, id: string, by: SessionUser): Promise<{ queued: true }> {
  return em.transactional(async (tem) => {
    const delivery = await findDeliveryFor(tem, id, by);
    await addJob(tem, jobSpec('deliver_webhook', { deliveryId: delivery.id, trigger: 'manual' }));
    recordActivity(tem, {
      action: 'webhook_delivery.redelivered',
      subjectType: 'webhook_delivery',
      subjectId: delivery.id,
      actor: { type: 'user', id: by.id },
      properties: { endpointId: delivery.endpoint.id, eventType: delivery.eventType },
    });
    await tem.flush();
    return { queued: true as const };
  });
}
