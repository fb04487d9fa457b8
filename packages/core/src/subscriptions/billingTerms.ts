import type { EntityManager } from '@mikro-orm/postgresql';

/** What a subscription's order bought, as its renewals are computed from. */
export interface BillingTerms {
  productName: string;
  interval: 'month' | 'year' | null;
  trialDays: number | null;
  amountMinor: number;
  currency: string;
}

/** The terms of the subscriptions' orders, by subscription id (one query for a page of them). */
export async function billingTermsOf(em: EntityManager, subscriptionIds: string[]): Promise<Map<string, BillingTerms>> {
  if (subscriptionIds.length === 0) return new Map();
  const rows = await em.getConnection().execute<
    {
      id: string;
      product_name: string;
      billing_interval: 'month' | 'year' | null;
      trial_days: number | null;
      supports_trial: boolean;
      amount_minor: number;
      currency: string;
    }[]
  >(
    `select distinct on (s.id) s.id, oi.product_name, p.billing_interval, p.trial_days, p.supports_trial,
            oi.unit_price_minor * oi.quantity as amount_minor, oi.currency
       from subscriptions s
       join order_items oi on oi.order_id = s.order_id
       join products p on p.id = oi.product_id
      where s.id in (${subscriptionIds.map(() => '?').join(', ')})
      order by s.id, oi.created_at`,
    subscriptionIds,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        productName: row.product_name,
        interval: row.billing_interval,
        trialDays: row.supports_trial ? row.trial_days : null,
        amountMinor: row.amount_minor,
        currency: row.currency,
      },
    ]),
  );
}

/** `date` moved by one billing interval, by the calendar (the 31st of a short month is its last day). */
export function addInterval(date: Date, interval: 'month' | 'year'): Date {
  const next = new Date(date);
  const day = next.getUTCDate();
  next.setUTCDate(1);
  if (interval === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  const lastDay = new Date(Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 0)).getUTCDate();
  next.setUTCDate(Math.min(day, lastDay));
  return next;
}

/**
 * When the subscription next renews: the period end the gateway or a renewal gave, else one
 * interval after its last renewal or its start (after the trial, when it began with one).
 */
export function nextRenewalOf(
  subscription: { currentPeriodEnd?: Date | null; lastRenewedAt?: Date | null; createdAt: Date },
  terms: Pick<BillingTerms, 'interval' | 'trialDays'> | undefined,
): Date | null {
  if (subscription.currentPeriodEnd) return subscription.currentPeriodEnd;
  if (!terms?.interval) return null;
  if (!subscription.lastRenewedAt && terms.trialDays) {
    return new Date(subscription.createdAt.getTime() + terms.trialDays * 86_400_000);
  }
  return addInterval(subscription.lastRenewedAt ?? subscription.createdAt, terms.interval);
}
