import { DATA_BUNDLE_DRIVER } from '@handover/contracts/drivers/data-bundle';
import { toE164 } from '@handover/contracts/phone';
import { User } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import { optedOutOf, setSmsPreference } from '../notifications/sms';

/** Numbers are read as Ghana's when written the national way: the country bundles are sold in. */
const HOME_COUNTRY = 'GH';

export interface TextPreference {
  phoneNumber: string;
  texts: boolean;
}

/** Whether the account's own phone gets texts (null when it has no phone that reads as a number). */
export async function getOwnTextPreference(em: EntityManager, userId: string): Promise<TextPreference | null> {
  const user = await em.findOneOrFail(User, { id: userId }, { fields: ['phone'] });
  const phone = user.phone ? toE164(user.phone, HOME_COUNTRY) : null;
  if (!phone) return null;
  return { phoneNumber: phone, texts: !(await optedOutOf(em, [phone])).has(phone) };
}

/**
 * Texts to a number on or off, from the customer's account: their own phone, or a number they
 * bought bundles for (a reseller acting on a customer's wish). Off, the number is never texted.
 */
export async function setCustomerTextPreference(
  em: EntityManager,
  userId: string,
  change: { phoneNumber: string; texts: boolean },
): Promise<TextPreference> {
  const phone = toE164(change.phoneNumber, HOME_COUNTRY);
  if (!phone) throw new ValidationError('Enter a phone number', { phoneNumber: ['Enter a phone number'] });
  const own = await getOwnTextPreference(em, userId);
  if (own?.phoneNumber !== phone && !(await boughtFor(em, userId, phone))) {
    const message = 'You can change texts only for your own phone or numbers you bought for';
    throw new ValidationError(message, { phoneNumber: [message] });
  }
  await setSmsPreference(em, { phoneNumber: phone, texts: change.texts, source: 'customer', userId });
  return { phoneNumber: phone, texts: change.texts };
}

async function boughtFor(em: EntityManager, userId: string, phone: string): Promise<boolean> {
  const [row] = await em.execute<{ found: boolean }[]>(
    `select exists (select 1 from fulfillment_records r join orders o on o.id = r.order_id
                     where o.user_id = ? and r.driver = ? and r.subject = ?) as found`,
    [userId, DATA_BUNDLE_DRIVER, phone],
  );
  return row?.found === true;
}
