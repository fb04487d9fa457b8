import type { FulfillmentStatus } from '@handover/contracts';
import { normalizeHostname } from '@handover/contracts';
import { M365_DOMAIN_DRIVER } from '@handover/contracts/drivers/m365-domain';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A domain in a record in these states is free to order again. */
const RELEASED: readonly FulfillmentStatus[] = ['failed', 'cancelled'];
/** A domain in a record in these states has been delivered. */
const DELIVERED: readonly FulfillmentStatus[] = ['completed', 'active', 'suspended'];

const placeholders = (values: readonly unknown[]) => values.map(() => '?').join(', ');

/**
 * The domains among `domains` that records of `driver` have delivered or are delivering.
 * With `asSeenBy`, as that record's check sees them: its own claim does not count, nor does a
 * record still in progress that was created after it and has not passed `checkStep` yet. Of
 * two orders racing for one domain exactly one goes ahead: the earlier, unless the later one
 * was already let through (while the earlier had failed, before an operator retried it).
 */
export async function findDomainsInUse(
  em: EntityManager,
  driver: string,
  domains: readonly string[],
  options: { asSeenBy?: { recordId: string; checkStep: string } } = {},
): Promise<Set<string>> {
  const names = [...new Set(domains.map(normalizeHostname))];
  if (names.length === 0) return new Set();
  const params: unknown[] = [driver, ...names, ...RELEASED];
  let sql = `select distinct r.subject from fulfillment_records r
    where r.driver = ? and r.subject in (${placeholders(names)}) and r.status not in (${placeholders(RELEASED)})`;
  const seenBy = options.asSeenBy;
  if (seenBy) {
    sql += ` and r.id <> ? and (r.status in (${placeholders(DELIVERED)})
      or (r.created_at, r.id) < (select created_at, id from fulfillment_records where id = ?)
      or exists (select 1 from fulfillment_steps s where s.record_id = r.id and s.name = ? and s.status = 'done'))`;
    params.push(seenBy.recordId, ...DELIVERED, seenBy.recordId, seenBy.checkStep);
  }
  const rows = await em.execute<{ subject: string }[]>(sql, params);
  return new Set(rows.map((row) => row.subject));
}

export const domainInUseMessage = (domain: string) =>
  `${domain} is already set up with us, or being set up; contact support if it is yours`;

/**
 * Seed 000's form refuses a domain that is already delivered or in progress. Checkout calls
 * this before taking payment; returns field errors keyed as the form's (`domains.1.domain`),
 * none when every domain is free.
 */
export async function checkM365DomainsAvailable(
  em: EntityManager,
  domains: readonly string[],
): Promise<Record<string, string[]>> {
  const inUse = await findDomainsInUse(em, M365_DOMAIN_DRIVER, domains);
  const errors: Record<string, string[]> = {};
  for (const [index, domain] of domains.entries()) {
    const name = normalizeHostname(domain);
    if (inUse.has(name)) errors[`domains.${index}.domain`] = [domainInUseMessage(name)];
  }
  return errors;
}
