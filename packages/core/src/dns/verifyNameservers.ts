import { DnsCheck } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import type { EngineLogger } from '../fulfillment/engine';
import { captureProviderCalls } from '../providers/providerCalls';
import { markDomainVerified, recordDomainUnverified, recordResolverFailure } from './dnsCheckResults';
import type { NameserverResolver } from './nameserverResolver';
import { nameserversMatch } from './nameserversMatch';

export interface DnsVerificationDeps {
  /** Root entity manager; each check works on forks of it. */
  em: EntityManager;
  resolver: NameserverResolver;
  clock: Clock;
  /** The customer portal, for the link in the "domain is active" message. */
  portalUrl: string;
  /** Ops are alerted about a domain still unverified this long after its nameservers were given. */
  alertAfterDays: number;
  logger?: EngineLogger;
}

export type DnsCheckOutcome = 'verified' | 'unverified' | 'resolver_failed' | 'skipped';

/** A claimed check is left alone by other runs this long; a crash mid-lookup only delays it. */
const CLAIM_MS = 2 * 60_000;

/**
 * Takes up to `limit` domains that are due, oldest first, pushing their next check past the
 * claim so that a second worker's run (or a "check now") does not look them up at once too.
 */
async function claimDueChecks(
  em: EntityManager,
  now: Date,
  limit: number,
  recordId: string | null = null,
): Promise<string[]> {
  const rows = await em.execute<{ record_id: string }[]>(
    `update dns_checks set next_check_at = ?
      where id in (
        select c.id from dns_checks c join fulfillment_records r on r.id = c.record_id
         where c.status = 'pending_verification' and c.next_check_at <= ? and r.status = 'completed'
           and (?::uuid is null or c.record_id = ?::uuid)
         order by c.next_check_at, c.id
         limit ?
         for update of c skip locked)
      returning record_id`,
    [new Date(now.getTime() + CLAIM_MS), now, recordId, recordId, limit],
  );
  return rows.map((row) => row.record_id);
}

/**
 * The job queued for the moment one domain's next check is due: it looks then, not at the
 * first cron run after it. Skipped when the cron or a "Check now" has looked meanwhile (the
 * check is no longer due), so a domain is not looked up twice for one due time.
 */
export async function verifyDomainWhenDue(deps: DnsVerificationDeps, recordId: string): Promise<DnsCheckOutcome> {
  const [claimed] = await claimDueChecks(deps.em.fork(), deps.clock.now(), 1, recordId);
  return claimed ? verifyDomainNameservers(deps, claimed) : 'skipped';
}

/**
 * Seed 000 phase 5 ("cron job runs every 5 minutes"): looks up every domain whose check is
 * due. A domain that fails is logged and left for the next run; the others go on.
 */
export async function verifyDueDomains(
  deps: DnsVerificationDeps,
  { limit = 500, concurrency = 4 }: { limit?: number; concurrency?: number } = {},
): Promise<Record<DnsCheckOutcome | 'error', number>> {
  const recordIds = await claimDueChecks(deps.em.fork(), deps.clock.now(), limit);
  const counts = { verified: 0, unverified: 0, resolver_failed: 0, skipped: 0, error: 0 };
  const queue = [...recordIds];
  const lane = async () => {
    while (queue.length > 0) {
      const recordId = queue.shift() as string;
      try {
        counts[await verifyDomainNameservers(deps, recordId)] += 1;
      } catch (error) {
        counts.error += 1;
        deps.logger?.error({ recordId, err: error }, 'DNS check could not be recorded');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, lane));
  return counts;
}

/**
 * Looks up one record's domain now and records what was seen: verified when every expected
 * nameserver is there (case- and trailing-dot-insensitive), otherwise checked again later.
 * A resolver failure never fails the record; the next run asks again.
 */
export async function verifyDomainNameservers(deps: DnsVerificationDeps, recordId: string): Promise<DnsCheckOutcome> {
  const check = await deps.em.fork().findOne(DnsCheck, { record: recordId }, { populate: ['record'] });
  if (check?.status !== 'pending_verification' || check.record.status !== 'completed') return 'skipped';

  const lookup = await captureProviderCalls(() => deps.resolver.lookupNameservers(check.domain));
  const base = { recordId, orderId: check.order.id, calls: lookup.calls, now: deps.clock.now() };
  if (!lookup.ok) {
    const error = lookup.error instanceof Error ? lookup.error.message : String(lookup.error);
    deps.logger?.warn({ recordId, domain: check.domain, error }, 'DNS lookup failed; the next run tries again');
    return recordResolverFailure(deps.em, { ...base, error });
  }
  if (nameserversMatch(check.expectedNameservers, lookup.value)) {
    const outcome = await markDomainVerified(deps.em, { ...base, seen: lookup.value, portalUrl: deps.portalUrl });
    if (outcome === 'verified') deps.logger?.info({ recordId, domain: check.domain }, 'domain verified: now active');
    return outcome;
  }
  return recordDomainUnverified(deps.em, { ...base, seen: lookup.value, alertAfterDays: deps.alertAfterDays });
}
