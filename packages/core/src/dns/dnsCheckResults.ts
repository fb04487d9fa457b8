import { DnsCheck, FulfillmentLog, FulfillmentRecord, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import { ormSql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { publish } from '../events/publish';
import { loadRecordFacts, lockOrderOf, writeTransition } from '../fulfillment/transitions';
import { addJob, jobSpec } from '../jobs/addJob';
import type { ProviderCall } from '../providers/providerCalls';
import { nextDnsCheckAt } from './dnsCheckSchedule';

/** The step name DNS lookups are logged under in fulfillment_logs. */
export const VERIFY_DNS_STEP = 'verify_dns';

export interface DnsLookupResult {
  recordId: string;
  orderId: string;
  /** The provider calls the lookup made, for the fulfillment log. */
  calls: ProviderCall[];
  now: Date;
}

type Writer<T> = (tem: EntityManager, check: DnsCheck, record: FulfillmentRecord, order: Order) => Promise<T>;

/**
 * Runs `write` with the order locked and the check, record and order read afresh, after
 * logging the lookup. Skipped when the domain is no longer waiting (verified meanwhile, or
 * the record was cancelled or suspended).
 */
async function underOrderLock<T>(em: EntityManager, lookup: DnsLookupResult, write: Writer<T>): Promise<T | 'skipped'> {
  return em.fork().transactional(async (tem) => {
    await lockOrderOf(ormSql(tem), lookup.recordId);
    const check = await tem.findOneOrFail(DnsCheck, { record: lookup.recordId }, { refresh: true });
    const record = await tem.findOneOrFail(FulfillmentRecord, { id: lookup.recordId }, { refresh: true });
    const order = await tem.findOneOrFail(Order, { id: lookup.orderId }, { refresh: true });
    for (const call of lookup.calls) {
      tem.create(FulfillmentLog, {
        record,
        order,
        driver: record.driver,
        subject: record.subject ?? null,
        kind: 'provider_call',
        step: VERIFY_DNS_STEP,
        status: call.error ? 'failed' : 'success',
        method: call.method,
        url: call.url,
        request: call.request,
        apiResponse: call.response,
        httpStatus: call.httpStatus,
        durationMs: call.durationMs,
        errorMessage: call.error,
      });
    }
    if (check.status !== 'pending_verification' || record.status !== 'completed') return 'skipped';
    return write(tem, check, record, order);
  });
}

/**
 * Seed 000 phase 5, on a match: the record becomes `active`, the domain's `dns_verified` is
 * set on the order, the order's dns_status becomes `verified` once no domain of it waits any
 * more (and its fulfillment_status `active` once every record is), and the customer is told.
 */
export function markDomainVerified(
  em: EntityManager,
  lookup: DnsLookupResult & { seen: string[]; portalUrl: string },
): Promise<'verified' | 'skipped'> {
  const { now } = lookup;
  return underOrderLock(em, lookup, async (tem, check, record, order) => {
    Object.assign(check, {
      status: 'verified',
      verifiedAt: now,
      lastCheckedAt: now,
      lastSeenNameservers: lookup.seen,
      lastError: null,
    });
    order.nameservers = order.nameservers.map((entry) =>
      entry.domain === check.domain ? { ...entry, dns_verified: true } : entry,
    );
    order.fulfillmentResults = order.fulfillmentResults.map((entry) =>
      entry.domain === check.domain ? { ...entry, status: 'active', dns_verified: true } : entry,
    );
    order.dnsLastChecked = now;
    await tem.flush();

    const sql = ormSql(tem);
    const facts = await loadRecordFacts(sql, record.id);
    const change = await writeTransition(sql, {
      record: facts,
      from: 'completed',
      to: 'active',
      by: 'provider',
      actor: SYSTEM,
      reason: null,
      changes: { result: { ...record.result, dns_verified: true } },
      properties: { domain: check.domain },
      now,
      portalUrl: lookup.portalUrl,
    });

    const waiting = await tem.count(FulfillmentRecord, {
      order: order.id,
      driver: record.driver,
      status: { $nin: ['active', 'failed', 'cancelled'] },
    });
    if (waiting === 0) order.dnsStatus = 'verified';
    const orderActive = (change.order?.current ?? order.fulfillmentStatus) === 'active';
    const batch = new WriteBatch();
    publish(batch, [{ type: 'domain.verified', record: facts, domain: check.domain, orderActive }], {
      portalUrl: lookup.portalUrl,
      now,
    });
    await batch.execute(sql);
    return 'verified' as const;
  });
}

/**
 * The nameservers are not (all) there yet: look again later, each time a little later, and
 * tell ops once when the domain has waited `alertAfterDays`.
 */
export function recordDomainUnverified(
  em: EntityManager,
  lookup: DnsLookupResult & { seen: string[]; alertAfterDays: number },
): Promise<'unverified' | 'skipped'> {
  const { now } = lookup;
  return underOrderLock(em, lookup, async (tem, check, record, order) => {
    const failedChecks = check.failedChecks + 1;
    const nextCheckAt = nextDnsCheckAt(failedChecks, now);
    Object.assign(check, {
      failedChecks,
      lastCheckedAt: now,
      lastSeenNameservers: lookup.seen,
      lastError: null,
      nextCheckAt,
    });
    // Looked at when due, not at the first cron run after (which may be one period later).
    await addJob(tem, jobSpec('verify_dns', { recordId: record.id, whenDue: true }, { runAt: nextCheckAt }));
    order.dnsLastChecked = now;
    const waitedMs = now.getTime() - check.createdAt.getTime();
    if (!check.alertedAt && waitedMs >= lookup.alertAfterDays * 86_400_000) {
      check.alertedAt = now;
      await raiseAlert(tem, {
        type: 'dns_unverified',
        severity: 'warning',
        message: `Order ${order.orderCode}: ${check.domain} still does not point at ${check.expectedNameservers.join(
          ', ',
        )} after ${lookup.alertAfterDays} days (it shows ${lookup.seen.join(', ') || 'no nameservers'}); the customer may need help.`,
        subjectType: 'fulfillment_record',
        subjectId: record.id,
        data: { orderId: order.id, domain: check.domain, seen: lookup.seen },
        dedupeKey: `dns_unverified:${record.id}`,
      });
    }
    return 'unverified' as const;
  });
}

/** The resolver itself failed: nothing is known about the domain, so the next cron run asks again. */
export function recordResolverFailure(
  em: EntityManager,
  lookup: DnsLookupResult & { error: string },
): Promise<'resolver_failed' | 'skipped'> {
  return underOrderLock(em, lookup, async (_tem, check) => {
    Object.assign(check, { lastError: lookup.error, lastCheckedAt: lookup.now, nextCheckAt: lookup.now });
    return 'resolver_failed' as const;
  });
}
