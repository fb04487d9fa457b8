import type { HostingPlatform } from '@handover/contracts';
import { DomainTransfer, FulfillmentRecord, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { raiseAlert } from '../alerts/alerts';
import { NotFoundError } from '../errors';
import { enqueueFulfillment } from '../fulfillment/jobs';
import { addJob, jobSpec } from '../jobs/addJob';
import { redact } from '../security/redact';
import { recordMailinActivity } from './activity';

/** Never longer between two looks at a pending transfer, so a domain fixed late still turns active the same day. */
const MAX_TRANSFER_RECHECK_MS = 6 * 3_600_000;

/** Which domain of which record: the transfer rows are keyed by both. */
export interface TransferKey {
  orderId: string;
  recordId: string;
  domain: string;
}

export function findDomainTransfer(em: EntityManager, key: TransferKey): Promise<DomainTransfer | null> {
  return em.findOne(DomainTransfer, { record: key.recordId, domainName: key.domain }, { refresh: true });
}

async function upsertTransfer(
  em: EntityManager,
  key: TransferKey,
  platform: HostingPlatform,
  changes: Partial<DomainTransfer>,
): Promise<DomainTransfer> {
  const existing = await findDomainTransfer(em, key);
  const row =
    existing ??
    em.create(DomainTransfer, {
      order: em.getReference(Order, key.orderId),
      record: em.getReference(FulfillmentRecord, key.recordId),
      domainName: key.domain,
      hostingPlatform: platform,
      nameServers: [],
    });
  Object.assign(row, { hostingPlatform: platform, ...changes });
  return row;
}

/**
 * Seed 001 step 5.2: Mailin.ai took the domain and named its nameservers; the transfer is
 * `pending`. A repeat with the same nameservers keeps what the registrar was already told.
 */
export async function startDomainTransfer(
  em: EntityManager,
  key: TransferKey,
  input: { platform: HostingPlatform; nameservers: string[]; response: Record<string, unknown> },
): Promise<DomainTransfer> {
  return em.transactional(async (tem) => {
    const before = await findDomainTransfer(tem, key);
    const same =
      before?.status === 'pending' &&
      before.nameServers.length === input.nameservers.length &&
      before.nameServers.every((ns) => input.nameservers.includes(ns));
    const row = await upsertTransfer(tem, key, input.platform, {
      nameServers: input.nameservers,
      status: 'pending',
      responseData: redact(input.response),
      errorMessage: null,
      errorCode: null,
      ...(same ? {} : { nameServerStatus: null }),
    });
    if (!same) {
      recordMailinActivity(tem, {
        action: 'mailin_ai_domain_transfer_initiated',
        orderId: key.orderId,
        description: `Transfer of ${key.domain} to Mailin.ai started; nameservers ${input.nameservers.join(', ')}`,
        properties: { domain: key.domain, recordId: key.recordId, nameservers: input.nameservers },
      });
    }
    return row;
  });
}

/** Seed 001 error case 2: Mailin.ai refused or could not take the transfer; kept `failed` with the error. */
export async function failDomainTransfer(
  em: EntityManager,
  key: TransferKey,
  input: { platform: HostingPlatform; message: string; code: string },
): Promise<void> {
  await em.transactional(async (tem) => {
    await upsertTransfer(tem, key, input.platform, {
      status: 'failed',
      errorMessage: input.message,
      errorCode: input.code,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_domain_transfer_failed',
      orderId: key.orderId,
      description: `Transfer of ${key.domain} to Mailin.ai failed: ${input.message}`,
      properties: { domain: key.domain, recordId: key.recordId, code: input.code },
    });
  });
}

/** Seed 001 step 5.3: the registrar now delegates the domain to Mailin.ai (`name_server_status = updated`). */
export async function markNameserversUpdated(
  em: EntityManager,
  key: TransferKey,
  platform: HostingPlatform,
  now: Date,
): Promise<void> {
  await em.transactional(async (tem) => {
    const row = await upsertTransfer(tem, key, platform, {
      nameServerStatus: 'updated',
      errorMessage: null,
      errorCode: null,
      nextCheckAt: now,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_nameservers_updated',
      orderId: key.orderId,
      description: `Nameservers of ${key.domain} set at ${platform} to ${row.nameServers.join(', ')}`,
      properties: { domain: key.domain, recordId: key.recordId, platform },
    });
  });
}

/**
 * Seed 001 step 5.4: the registrar refused (`name_server_status = failed`, the error kept,
 * the transfer still `pending` for the retry). `draft` says whether the order waits for the customer.
 */
export async function markNameserversFailed(
  em: EntityManager,
  key: TransferKey,
  input: { platform: HostingPlatform; message: string; code: string; draft: boolean },
): Promise<void> {
  await em.transactional(async (tem) => {
    await upsertTransfer(tem, key, input.platform, {
      nameServerStatus: 'failed',
      errorMessage: input.message,
      errorCode: input.code,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_nameserver_update_failed',
      orderId: key.orderId,
      description: `Setting the nameservers of ${key.domain} at ${input.platform} failed: ${input.message}`,
      properties: { domain: key.domain, recordId: key.recordId, platform: input.platform, code: input.code },
    });
    if (input.draft) {
      recordMailinActivity(tem, {
        action: 'mailin_ai_order_set_to_draft',
        orderId: key.orderId,
        description: `Waiting for the customer to fix ${key.domain} at ${input.platform} and resubmit`,
        properties: { domain: key.domain, recordId: key.recordId, code: input.code },
      });
    }
  });
}

/**
 * When to look at a pending transfer again after `checks` looks: `firstMs`, then doubling, up
 * to 6 h (DNS propagation can take 24–48 hours, seed 001's troubleshooting guide).
 */
export function nextTransferCheckAt(checks: number, now: Date, firstMs: number): Date {
  const delay = Math.min(firstMs * 2 ** Math.min(Math.max(0, checks - 1), 20), MAX_TRANSFER_RECHECK_MS);
  return new Date(now.getTime() + delay);
}

/** Mailin.ai does not show the domain active yet: counted, and the cron's next look scheduled. */
export async function markTransferStillPending(
  em: EntityManager,
  key: TransferKey,
  input: { now: Date; firstCheckMs: number; error?: string },
): Promise<Date | null> {
  return em.transactional(async (tem) => {
    const row = await findDomainTransfer(tem, key);
    if (!row) return null;
    row.checks += 1;
    row.lastCheckedAt = input.now;
    row.nextCheckAt = nextTransferCheckAt(row.checks, input.now, input.firstCheckMs);
    if (input.error) row.errorMessage = input.error;
    return row.nextCheckAt;
  });
}

/** Seed 001 step 7: the domain is active at Mailin.ai; its transfer is `completed`. */
export async function completeDomainTransfer(em: EntityManager, key: TransferKey, now: Date): Promise<void> {
  await em.transactional(async (tem) => {
    const row = await findDomainTransfer(tem, key);
    if (!row || row.status === 'completed') return;
    Object.assign(row, {
      status: 'completed',
      completedAt: now,
      lastCheckedAt: now,
      nextCheckAt: null,
      errorMessage: null,
    });
    recordMailinActivity(tem, {
      action: 'mailin_ai_domain_transfer_completed',
      orderId: key.orderId,
      description: `${key.domain} is active at Mailin.ai`,
      properties: { domain: key.domain, recordId: key.recordId },
    });
  });
}

/** A domain replaced by the customer: its old transfer ends `failed`, saying why. */
export async function retireDomainTransfer(em: EntityManager, key: TransferKey, replacement: string): Promise<void> {
  await em.nativeUpdate(
    DomainTransfer,
    { record: key.recordId, domainName: key.domain, status: { $ne: 'completed' } },
    { status: 'failed', errorMessage: `Replaced by ${replacement} at the customer's request`, nextCheckAt: null },
  );
}

export interface TransferCronResult {
  woken: number;
  alerted: number;
}

/**
 * Seed 001 step 7's scheduled job (`check_domain_transfers`): wakes each record whose domain waits to turn active at
 * Mailin.ai and is due for a look (the record's step asks Mailin.ai and creates the mailboxes
 * once it is), and tells ops about transfers pending longer than `alertAfterMs`.
 */
export async function wakeDueDomainTransfers(
  em: EntityManager,
  now: Date,
  options: { alertAfterMs: number; limit?: number; orderId?: string },
): Promise<TransferCronResult> {
  return em.transactional(async (tem) => {
    // One order's ("Check now") are looked at whenever they are due.
    const which = options.orderId ? 't.order_id = ?' : 't.next_check_at <= ?';
    const due = await tem.execute<{ id: string; record_id: string }[]>(
      `select t.id, t.record_id from domain_transfers t
         join fulfillment_records r on r.id = t.record_id
        where t.status = 'pending' and t.name_server_status = 'updated'
          and ${which} and r.status = 'awaiting_provider'
        order by t.next_check_at
        limit ? for update of t skip locked`,
      [options.orderId ?? now, options.limit ?? 500],
    );
    for (const row of due) await enqueueFulfillment(tem, row.record_id);
    if (options.orderId) return { woken: due.length, alerted: 0 };
    if (due.length > 0) {
      // Until the record's own look reschedules it, the next cron run leaves it alone.
      await tem.execute('update domain_transfers set next_check_at = ? where id = any(?::uuid[])', [
        new Date(now.getTime() + 5 * 60_000),
        `{${due.map((row) => row.id).join(',')}}`,
      ]);
    }
    const stuck = await tem.find(DomainTransfer, {
      status: 'pending',
      alertedAt: null,
      createdAt: { $lt: new Date(now.getTime() - options.alertAfterMs) },
      record: { status: { $nin: ['failed', 'cancelled'] } },
    });
    for (const transfer of stuck) {
      transfer.alertedAt = now;
      await raiseAlert(tem, {
        type: 'domain_transfer_stuck',
        severity: 'warning',
        message: `${transfer.domainName} has waited since ${transfer.createdAt.toISOString().slice(0, 10)} to turn active at Mailin.ai (nameservers ${transfer.nameServerStatus ?? 'not set'} at ${transfer.hostingPlatform})`,
        subjectType: 'fulfillment_record',
        subjectId: transfer.record.id,
        dedupeKey: `domain_transfer_stuck:${transfer.id}`,
      });
    }
    return { woken: due.length, alerted: stuck.length };
  });
}

/** The customer's "Check now": their order's domains waiting to turn active are looked at at once. */
export async function requestTransferCheck(
  em: EntityManager,
  userId: string,
  orderId: string,
): Promise<{ domains: number }> {
  return em.transactional(async (tem) => {
    const order = await tem.findOne(Order, { id: orderId, user: userId }, { fields: ['id'] });
    if (!order) throw new NotFoundError('No order with this id in your account.');
    const waiting = await tem.count(DomainTransfer, { order: orderId, status: 'pending', nameServerStatus: 'updated' });
    if (waiting > 0) await addJob(tem, jobSpec('check_domain_transfers', { orderId }));
    return { domains: waiting };
  });
}
