import type { TenantStatus } from '@handover/contracts';
import { ExternalTenantLink, FulfillmentRecord, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What a SaaS provider answered about the tenant it opened for a record. */
export interface TenantLinkFacts {
  provider: string;
  externalTenantId: string;
  externalSubscriptionId: string | null;
  externalUserId: string | null;
  plan: string | null;
  status: TenantStatus;
}

/**
 * Seed 003 §5.3 external_tenant_links: the record's tenant, subscription and owner user at the
 * provider, written when it answers (onboard, status, suspend, resume, cancel). One per record.
 */
export async function recordTenantLink(
  em: EntityManager,
  { recordId, userId, facts }: { recordId: string; userId: string; facts: TenantLinkFacts },
): Promise<void> {
  const existing = await em.findOne(ExternalTenantLink, { fulfillmentRecord: recordId });
  if (existing) em.assign(existing, facts);
  else {
    em.create(ExternalTenantLink, {
      fulfillmentRecord: em.getReference(FulfillmentRecord, recordId),
      user: em.getReference(User, userId),
      ...facts,
    });
  }
  await em.flush();
}

/** The provider's latest word on the record's tenant (status or plan), when a link exists. */
export async function updateTenantLink(
  em: EntityManager,
  recordId: string,
  change: Partial<Pick<TenantLinkFacts, 'status' | 'plan'>>,
): Promise<void> {
  const link = await em.findOne(ExternalTenantLink, { fulfillmentRecord: recordId });
  if (!link) return;
  em.assign(link, change);
  await em.flush();
}
