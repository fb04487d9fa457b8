import type {
  DomainTransferStatus,
  HostingPlatform,
  NameServerStatus,
  OrderAutomationStatus,
} from '@handover/contracts';
import { DomainTransfer, OrderAutomation, OrderEmail } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Actor } from '../activity/activity';
import { Conditions, containing } from '../backoffice/sql';
import { NotFoundError } from '../errors';
import { type OperationResult, retryRecords } from '../fulfillment/operations';

export interface DomainTransferFilter {
  status?: DomainTransferStatus;
  nameServerStatus?: NameServerStatus;
  platform?: HostingPlatform;
  domain?: string;
  orderId?: string;
}

export interface DomainTransferRow {
  id: string;
  orderId: string;
  orderCode: string;
  recordId: string;
  recordStatus: string;
  domain: string;
  platform: HostingPlatform;
  status: DomainTransferStatus;
  nameServerStatus: NameServerStatus | null;
  nameservers: string[];
  errorMessage: string | null;
  errorCode: string | null;
  checks: number;
  lastCheckedAt: Date | null;
  nextCheckAt: Date | null;
  createdAt: Date;
  completedAt: Date | null;
}

interface TransferSqlRow {
  id: string;
  order_id: string;
  order_code: string;
  record_id: string;
  record_status: string;
  domain_name: string;
  hosting_platform: HostingPlatform;
  status: DomainTransferStatus;
  name_server_status: NameServerStatus | null;
  name_servers: string[];
  error_message: string | null;
  error_code: string | null;
  checks: number;
  last_checked_at: Date | null;
  next_check_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
  total: string;
}

const date = (value: Date | string | null) => (value ? new Date(value) : null);

/** Seed 001's domain_transfers for staff, newest first, by status, platform and domain. */
export async function listDomainTransfers(
  em: EntityManager,
  filter: DomainTransferFilter,
  page: { limit: number; offset: number },
): Promise<{ items: DomainTransferRow[]; total: number }> {
  const where = new Conditions()
    .when(filter.status, 't.status = ?')
    .when(filter.nameServerStatus, 't.name_server_status = ?')
    .when(filter.platform, 't.hosting_platform = ?')
    .when(filter.domain, 't.domain_name ilike ?', containing)
    .when(filter.orderId, 't.order_id = ?');
  const rows = await em.execute<TransferSqlRow[]>(
    `select t.*, o.order_code, r.status as record_status, count(*) over () as total
       from domain_transfers t
       join orders o on o.id = t.order_id
       join fulfillment_records r on r.id = t.record_id
       ${where.sql}
      order by t.created_at desc, t.id desc
      limit ? offset ?`,
    [...where.params, page.limit, page.offset],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      orderCode: row.order_code,
      recordId: row.record_id,
      recordStatus: row.record_status,
      domain: row.domain_name,
      platform: row.hosting_platform,
      status: row.status,
      nameServerStatus: row.name_server_status,
      nameservers: row.name_servers,
      errorMessage: row.error_message,
      errorCode: row.error_code,
      checks: row.checks,
      lastCheckedAt: date(row.last_checked_at),
      nextCheckAt: date(row.next_check_at),
      createdAt: new Date(row.created_at),
      completedAt: date(row.completed_at),
    })),
  };
}

export interface OrderAutomationFilter {
  status?: OrderAutomationStatus;
  platform?: HostingPlatform;
  domain?: string;
  orderId?: string;
}

export interface OrderAutomationRow {
  id: string;
  orderId: string;
  orderCode: string;
  recordId: string;
  recordStatus: string;
  domain: string;
  platform: HostingPlatform | null;
  actionType: string;
  jobUuid: string | null;
  status: OrderAutomationStatus;
  mailboxCount: number;
  errorMessage: string | null;
  responseData: Record<string, unknown> | null;
  createdAt: Date;
  completedAt: Date | null;
}

interface AutomationSqlRow {
  id: string;
  order_id: string;
  order_code: string;
  record_id: string;
  record_status: string;
  domain: string;
  platform: HostingPlatform | null;
  action_type: string;
  job_uuid: string | null;
  status: OrderAutomationStatus;
  mailbox_count: number;
  error_message: string | null;
  response_data: Record<string, unknown> | null;
  created_at: Date;
  completed_at: Date | null;
  total: string;
}

/** Seed 001's order_automations (Mailin.ai's mailbox jobs) for staff, newest first, with the same filters. */
export async function listOrderAutomations(
  em: EntityManager,
  filter: OrderAutomationFilter,
  page: { limit: number; offset: number },
): Promise<{ items: OrderAutomationRow[]; total: number }> {
  const where = new Conditions()
    .when(filter.status, 'a.status = ?')
    .when(filter.platform, `r.payload_snapshot->>'hostingPlatform' = ?`)
    .when(filter.domain, 'a.domain ilike ?', containing)
    .when(filter.orderId, 'a.order_id = ?');
  const rows = await em.execute<AutomationSqlRow[]>(
    `select a.*, o.order_code, r.status as record_status, r.payload_snapshot->>'hostingPlatform' as platform,
            count(*) over () as total
       from order_automations a
       join orders o on o.id = a.order_id
       join fulfillment_records r on r.id = a.record_id
       ${where.sql}
      order by a.created_at desc, a.id desc
      limit ? offset ?`,
    [...where.params, page.limit, page.offset],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({
      id: row.id,
      orderId: row.order_id,
      orderCode: row.order_code,
      recordId: row.record_id,
      recordStatus: row.record_status,
      domain: row.domain,
      platform: row.platform,
      actionType: row.action_type,
      jobUuid: row.job_uuid,
      status: row.status,
      mailboxCount: row.mailbox_count,
      errorMessage: row.error_message,
      responseData: row.response_data,
      createdAt: new Date(row.created_at),
      completedAt: date(row.completed_at),
    })),
  };
}

/**
 * Seed 001's manual retry of a failed transfer or mailbox batch: the record that owns it is
 * retried from the step that failed (the engine's retry; the steps look before they write).
 */
export async function retryMailboxWork(
  em: EntityManager,
  target: { transferId: string } | { automationId: string },
  actor: Actor,
  now: Date,
): Promise<OperationResult> {
  const row =
    'transferId' in target
      ? await em.findOne(DomainTransfer, { id: target.transferId }, { fields: ['record'] })
      : await em.findOne(OrderAutomation, { id: target.automationId }, { fields: ['record'] });
  if (!row) throw new NotFoundError('That transfer or mailbox job does not exist');
  const [result] = await retryRecords(em, [row.record.id], actor, now);
  return result as OperationResult;
}

/** An order's mailboxes for staff: logins and Mailin.ai's ids, never a password. */
export async function listOrderMailboxes(em: EntityManager, orderId: string) {
  const rows = await em.find(OrderEmail, { order: orderId }, { orderBy: { domain: 'asc', email: 'asc' } });
  return rows.map((row) => ({
    id: row.id,
    recordId: row.record.id,
    domain: row.domain,
    email: row.email,
    firstName: row.firstName,
    lastName: row.lastName,
    mailinMailboxId: row.mailinMailboxId ?? null,
    mailinDomainId: row.mailinDomainId ?? null,
    createdAt: row.createdAt,
  }));
}
