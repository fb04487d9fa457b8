import { normalizeHostname } from '@handover/contracts';
import {
  PRIVATE_SMTP_DRIVER,
  type PrivateSmtpInput,
  platformCredentialsOf,
  type resubmitPrivateSmtpSchema,
} from '@handover/contracts/drivers/private-smtp';
import { FulfillmentRecord, Order } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import { domainInUseMessage, findDomainsInUse } from '../domains/domainsInUse';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { resubmitDraftRecord } from '../fulfillment/operations';
import type { SecretBox } from '../security/secrets';
import { recordMailinActivity } from './activity';
import { retireDomainTransfer } from './domainTransfers';
import { replacePlatformCredentials } from './platformCredentials';

/** The step a domain is redone from when the customer renames it. */
const FIRST_STEP = 'check_domain';

/**
 * Seed 001 step 5.4's resubmission: the customer fixed their registrar (and maybe gave new
 * credentials, or corrected a domain) and the order goes on where it stopped. Credentials are
 * replaced for every domain waiting in `draft`; a renamed domain is redone from its first step
 * (new idempotency keys); the others are woken at the step that stopped.
 */
export async function resubmitPrivateSmtpOrder(
  em: EntityManager,
  secrets: SecretBox,
  input: z.output<typeof resubmitPrivateSmtpSchema> & { userId: string; now: Date; portalUrl?: string },
): Promise<{ resubmitted: number; renamed: number }> {
  const order = await em.findOne(Order, { id: input.orderId, user: input.userId });
  if (!order) throw new NotFoundError('No order with this id in your account.');
  const records = await em.find(FulfillmentRecord, { order: order.id, driver: PRIVATE_SMTP_DRIVER });
  const drafts = records.filter((record) => record.status === 'draft');
  if (drafts.length === 0) {
    throw new ConflictError('This order is not waiting for your changes; there is nothing to resubmit.');
  }

  const renames = await checkRenames(em, records, drafts, input.domains);
  const actor = { type: 'user' as const, id: input.userId };
  if (input.credentials && input.hostingPlatform) {
    const credentials = platformCredentialsOf(input.hostingPlatform, input.credentials);
    const ids = new Set(drafts.map((record) => (record.payloadSnapshot as PrivateSmtpInput).platformCredentialId));
    for (const credentialId of ids) {
      await replacePlatformCredentials(em, secrets, {
        credentialId,
        orderId: order.id,
        email: order.email,
        credentials,
      });
    }
  }

  for (const record of drafts) {
    const domain = renames.get(record.id);
    if (!domain) {
      await resubmitDraftRecord(em, record.id, actor, input.now, { portalUrl: input.portalUrl });
      continue;
    }
    const previous = record.subject ?? '';
    await em.transactional(async (tem) => {
      const changed = await tem.nativeUpdate(
        FulfillmentRecord,
        { id: record.id, status: 'draft' },
        { subject: domain, payloadSnapshot: { ...record.payloadSnapshot, domain }, updatedAt: input.now },
      );
      if (changed !== 1) throw new ConflictError(`${previous} is no longer waiting for your changes`);
      await retireDomainTransfer(tem, { orderId: order.id, recordId: record.id, domain: previous }, domain);
      await resubmitDraftRecord(tem, record.id, actor, input.now, { fromStep: FIRST_STEP, portalUrl: input.portalUrl });
    });
  }

  recordMailinActivity(em, {
    action: 'mailin_ai_order_resubmitted',
    orderId: order.id,
    actor,
    description: [
      'Resubmitted by the customer',
      input.credentials ? `with new ${input.hostingPlatform} credentials` : null,
      renames.size > 0 ? `with ${[...renames.values()].join(', ')} instead` : null,
    ]
      .filter(Boolean)
      .join(', '),
    properties: {
      records: drafts.map((r) => r.id),
      renamed: Object.fromEntries(renames),
      newCredentials: !!input.credentials,
    },
  });
  await em.flush();
  return { resubmitted: drafts.length, renamed: renames.size };
}

/** The renames asked for: only domains waiting in `draft`, none twice in the order, none set up elsewhere. */
async function checkRenames(
  em: EntityManager,
  records: FulfillmentRecord[],
  drafts: FulfillmentRecord[],
  asked: Record<string, string>,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const errors: Record<string, string[]> = {};
  for (const [recordId, raw] of Object.entries(asked)) {
    const domain = normalizeHostname(raw);
    const record = drafts.find((r) => r.id === recordId);
    if (!record) {
      errors[`domains.${recordId}`] = ['Only a domain waiting for your changes can be changed'];
      continue;
    }
    if (record.subject !== domain) renames.set(recordId, domain);
  }
  const kept = records.filter((r) => !renames.has(r.id)).map((r) => r.subject);
  const taken = await findDomainsInUse(em, PRIVATE_SMTP_DRIVER, [...renames.values()]);
  const seen = new Set<string>();
  for (const [recordId, domain] of renames) {
    if (kept.includes(domain) || seen.has(domain)) {
      errors[`domains.${recordId}`] = [`${domain} is already in this order`];
    } else if (taken.has(domain)) {
      errors[`domains.${recordId}`] = [domainInUseMessage(domain)];
    }
    seen.add(domain);
  }
  if (Object.keys(errors).length > 0) throw new ValidationError('Some domains cannot be used', errors);
  return renames;
}
