import type { FulfillmentLogKind, FulfillmentLogStatus } from '@handover/contracts';
import { FulfillmentLog } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { NotFoundError } from '../errors';
import { redact, redactUrl } from '../security/redact';
import { Conditions, containing, type KeysetOptions, type KeysetPage, keysetPage } from './sql';

/** Seed 002 phase 6: filter by network, status, date range and phone number; and by domain, error text. */
export interface FulfillmentLogFilter {
  driver?: string;
  network?: string;
  status?: FulfillmentLogStatus;
  kind?: FulfillmentLogKind;
  createdFrom?: Date;
  createdTo?: Date;
  phoneNumber?: string;
  /** Part of the subject: a domain, say. */
  subject?: string;
  /** Part of the error message. */
  error?: string;
  recordId?: string;
  orderId?: string;
}

export interface FulfillmentLogRow {
  id: number;
  recordId: string | null;
  orderId: string | null;
  driver: string | null;
  network: string | null;
  phoneNumber: string | null;
  subject: string | null;
  kind: FulfillmentLogKind;
  step: string | null;
  status: FulfillmentLogStatus;
  attemptNumber: number;
  maxAttempts: number | null;
  method: string | null;
  url: string | null;
  httpStatus: number | null;
  durationMs: number | null;
  errorMessage: string | null;
  /** A transition's status change (`queued → processing`), which is not an error. */
  change: string | null;
  createdAt: Date;
}

interface Row {
  id: string;
  cursor_at: string;
  record_id: string | null;
  order_id: string | null;
  driver: string | null;
  network: string | null;
  phone_number: string | null;
  subject: string | null;
  kind: FulfillmentLogKind;
  step: string | null;
  status: FulfillmentLogStatus;
  attempt_number: number;
  max_attempts: number | null;
  method: string | null;
  url: string | null;
  http_status: number | null;
  duration_ms: number | null;
  error_message: string | null;
  created_at: Date;
}

/** The logs list's filter as SQL over `fulfillment_logs l` (shared by the list, its totals and export). */
export function fulfillmentLogConditions(filter: FulfillmentLogFilter): Conditions {
  return new Conditions()
    .when(filter.driver, 'l.driver = ?')
    .when(filter.network, 'l.network = ?')
    .when(filter.status, 'l.status = ?')
    .when(filter.kind, 'l.kind = ?')
    .when(filter.createdFrom, 'l.created_at >= ?')
    .when(filter.createdTo, 'l.created_at <= ?')
    .when(filter.phoneNumber?.trim(), 'l.phone_number ilike ?', containing)
    .when(filter.subject?.trim(), 'l.subject ilike ?', containing)
    .when(filter.error?.trim(), "l.kind <> 'transition' and l.error_message ilike ?", containing)
    .when(filter.recordId, 'l.record_id = ?')
    .when(filter.orderId, 'l.order_id = ?');
}

/** The log rows without their bodies; a row's request and response come from getFulfillmentLog. */
export async function listFulfillmentLogs(
  em: EntityManager,
  filter: FulfillmentLogFilter,
  page: KeysetOptions,
): Promise<KeysetPage<FulfillmentLogRow>> {
  const where = fulfillmentLogConditions(filter);
  const { rows, ...rest } = await keysetPage<Row>(
    em,
    {
      columns: `l.id, l.record_id, l.order_id, l.driver, l.network, l.phone_number, l.subject, l.kind, l.step,
                l.status, l.attempt_number, l.max_attempts, l.method, l.url, l.http_status, l.duration_ms,
                l.error_message, l.created_at`,
      from: 'fulfillment_logs l',
      alias: 'l',
      where,
      idKind: 'bigint',
    },
    page,
  );
  return {
    ...rest,
    items: rows.map((row) => ({
      id: Number(row.id),
      recordId: row.record_id,
      orderId: row.order_id,
      driver: row.driver,
      network: row.network,
      phoneNumber: row.phone_number,
      subject: row.subject,
      kind: row.kind,
      step: row.step,
      status: row.status,
      attemptNumber: row.attempt_number,
      maxAttempts: row.max_attempts,
      method: row.method,
      url: row.url ? redactUrl(row.url) : null,
      httpStatus: row.http_status,
      durationMs: row.duration_ms,
      ...errorOrChange(row.kind, row.error_message),
      createdAt: new Date(row.created_at),
    })),
  };
}

/**
 * One log row for the API-response viewer: method, URL, status, duration, request and response.
 * Bodies were redacted when written; they pass through `redact` again here, so a secret that
 * slipped in under a new field name is still hidden if its name looks like one.
 */
export async function getFulfillmentLog(em: EntityManager, logId: number) {
  const log = await em.findOne(FulfillmentLog, { id: logId });
  if (!log) throw new NotFoundError('No log entry with this id.');
  return {
    id: Number(log.id),
    recordId: log.record?.id ?? null,
    orderId: log.order?.id ?? null,
    driver: log.driver ?? null,
    network: log.network ?? null,
    phoneNumber: log.phoneNumber ?? null,
    subject: log.subject ?? null,
    kind: log.kind,
    step: log.step ?? null,
    status: log.status,
    attemptNumber: log.attemptNumber,
    maxAttempts: log.maxAttempts ?? null,
    method: log.method ?? null,
    url: log.url ? redactUrl(log.url) : null,
    request: redact(log.request ?? null),
    response: redact(log.apiResponse ?? null),
    httpStatus: log.httpStatus ?? null,
    durationMs: log.durationMs ?? null,
    ...errorOrChange(log.kind, log.errorMessage ?? null),
    retryAfter: log.retryAfter ?? null,
    createdAt: log.createdAt,
  };
}

/** A transition row keeps its `from → to` in the error column: it is shown as the change it is. */
function errorOrChange(kind: FulfillmentLogKind, message: string | null) {
  return kind === 'transition' ? { errorMessage: null, change: message } : { errorMessage: message, change: null };
}
