import { randomInt } from 'node:crypto';
import { mailboxAddresses, type PrefixVariant } from '@handover/contracts/drivers/private-smtp';
import { FulfillmentRecord, Order, OrderAutomation, OrderEmail, User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity } from '../activity/activity';
import { NotFoundError, PermanentError } from '../errors';
import type { SecretBox } from '../security/secrets';

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#$%*+-=?@^_';
const ALL = LOWER + UPPER + DIGITS + SYMBOLS;

/**
 * A strong mailbox password (seed 001 step 6.1's generatePassword): 18 characters from a
 * cryptographic source, with at least one lower-case letter, capital, digit and symbol, and
 * none of the look-alikes (l, 1, O, 0) a customer copies wrongly.
 */
export function generateMailboxPassword(length = 18): string {
  const pick = (set: string) => set[randomInt(set.length)] ?? '';
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(ALL));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

/** A mailbox to create, with its password decrypted for the one call that sends it. */
export interface PlannedMailbox {
  email: string;
  name: string;
  password: string;
}

/**
 * The domain's mailboxes as order_emails rows, made before Mailin.ai is asked so that every
 * attempt sends the same passwords (encrypted here) under the same idempotency key. A row
 * left by a failed or cancelled delivery that never reached Mailin.ai is taken over; an
 * address another delivery holds is refused.
 */
export async function planMailboxes(
  em: EntityManager,
  secrets: SecretBox,
  input: { orderId: string; userId: string; recordId: string; domain: string; variants: readonly PrefixVariant[] },
): Promise<PlannedMailbox[]> {
  const addresses = mailboxAddresses(input.domain, input.variants);
  return em.transactional(async (tem) => {
    const existing = await tem.find(OrderEmail, { email: { $in: addresses } }, { populate: ['record'] });
    const byEmail = new Map(existing.map((row) => [row.email, row]));
    for (const [index, email] of addresses.entries()) {
      const variant = input.variants[index] as PrefixVariant;
      const row = byEmail.get(email);
      const mine = row?.record.id === input.recordId;
      const abandoned =
        row && !mine && row.mailinMailboxId === null && ['failed', 'cancelled'].includes(row.record.status);
      if (row && !mine && !abandoned) {
        throw new PermanentError(`${email} is already a mailbox of another order`, 'mailin_mailbox_exists');
      }
      if (row && mine) continue;
      const fields = {
        order: tem.getReference(Order, input.orderId),
        user: tem.getReference(User, input.userId),
        record: tem.getReference(FulfillmentRecord, input.recordId),
        domain: input.domain,
        email,
        name: variant.prefix,
        firstName: variant.firstName,
        lastName: variant.lastName,
      };
      if (row) Object.assign(row, fields);
      else
        byEmail.set(
          email,
          tem.create(OrderEmail, { ...fields, passwordEncrypted: secrets.encrypt(generateMailboxPassword()) }),
        );
    }
    await tem.flush();
    return addresses.map((email) => {
      const row = byEmail.get(email) as OrderEmail;
      return { email, name: row.name, password: secrets.decrypt(row.passwordEncrypted) };
    });
  });
}

/** Seed 001 step 6.4: Mailin.ai's ids on the mailboxes it made. */
export async function saveCreatedMailboxes(
  em: EntityManager,
  input: { recordId: string; automationId: string; mailboxes: { id: number; username: string; domainId: number }[] },
): Promise<number> {
  let saved = 0;
  for (const mailbox of input.mailboxes) {
    saved += await em.nativeUpdate(
      OrderEmail,
      { record: input.recordId, email: mailbox.username.toLowerCase() },
      {
        mailinMailboxId: mailbox.id,
        mailinDomainId: mailbox.domainId,
        automation: em.getReference(OrderAutomation, input.automationId),
      },
    );
  }
  return saved;
}

/** Seed 001 step 4.2: the order's domains that already have mailboxes made at Mailin.ai. */
export async function domainsWithMailboxes(em: EntityManager, orderId: string): Promise<Set<string>> {
  const rows = await em.find(OrderEmail, { order: orderId, mailinMailboxId: { $ne: null } }, { fields: ['domain'] });
  return new Set(rows.map((row) => row.domain));
}

/** The mailboxes of one domain of an order, as the customer and the record's result name them. */
export async function mailboxesOf(
  em: EntityManager,
  where: { orderId: string; domain: string },
): Promise<OrderEmail[]> {
  return em.find(
    OrderEmail,
    { order: where.orderId, domain: where.domain },
    { orderBy: { createdAt: 'asc', email: 'asc' } },
  );
}

/**
 * A mailbox's password for its owner (a customer) or staff: decrypted on request only, and
 * every reveal is in the activity log (seed 001's customer view: logins, password on request).
 */
export async function revealMailboxPassword(
  em: EntityManager,
  secrets: SecretBox,
  input: { mailboxId: string; actor: Actor & { type: 'user' }; ownerId?: string },
): Promise<{ email: string; password: string }> {
  const mailbox = await em.findOne(OrderEmail, {
    id: input.mailboxId,
    mailinMailboxId: { $ne: null },
    ...(input.ownerId ? { user: input.ownerId } : {}),
  });
  if (!mailbox) throw new NotFoundError('No such mailbox in your orders.');
  recordActivity(em, {
    action: 'mailin_ai_mailbox_password_revealed',
    subjectType: 'order',
    subjectId: mailbox.order.id,
    actor: input.actor,
    description: `Password of ${mailbox.email} shown`,
    properties: { mailboxId: mailbox.id, email: mailbox.email },
  });
  await em.flush();
  return { email: mailbox.email, password: secrets.decrypt(mailbox.passwordEncrypted) };
}
