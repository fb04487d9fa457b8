/**
 * Customer texts (the outbox's `sms` channel), beside the emails in templates.ts. Short: one SMS
 * page is 160 characters. Phone numbers are written as people of their country write them.
 */

/** Seed 002 purchase flow, steps 5–6: the order is placed and paid; the data is on its way. */
export function bundlePurchasedSms(p: { orderCode: string; network: string; size: string; phone: string }): string {
  return `Order ${p.orderCode}: ${p.size} ${p.network} data for ${p.phone} is paid and on its way. We will text you when it lands.`;
}

/** Seed 002 phase 8, success: "Your AT-iShare data has been delivered to [phone]", with the reference. */
export function bundleDeliveredSms(p: { network: string; phone: string; reference: string }): string {
  return `Your ${p.network} data has been delivered to ${p.phone}. Reference: ${p.reference}.`;
}

/** Seed 002 phase 8, after each failed attempt but the last. */
export function bundleRetryingSms(p: { orderCode: string }): string {
  return `Failed to deliver data. Retrying… Order ${p.orderCode}: nothing is needed from you.`;
}

/** Seed 002 phase 8, after the last attempt (or an error no retry can fix). */
export function bundleFailedSms(p: { orderCode: string }): string {
  return `Unable to complete order ${p.orderCode}. Contact support.`;
}
