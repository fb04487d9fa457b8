import { describeMoment } from '@handover/contracts';

/** Customer messages, in words a customer understands, each saying what happens next. */

export interface MessageText {
  subject: string;
  body: string;
}

const orderLink = (portalUrl: string, orderCode: string) => `${portalUrl.replace(/\/$/, '')}/orders/${orderCode}`;

export function fulfillmentFailedMessage(p: {
  orderCode: string;
  item: string;
  reason: string;
  portalUrl: string;
}): MessageText {
  return {
    subject: `We could not complete order ${p.orderCode}`,
    body: [
      `We could not finish delivering ${p.item} for order ${p.orderCode}.`,
      `What went wrong: ${p.reason}`,
      'Our team has been alerted and will contact you; you have not been charged twice, and nothing is needed from you now.',
      `Follow your order: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** An order paid for but refused by its checks at payment: refunded in full. */
export function orderRefusedMessage(p: {
  orderCode: string;
  reason: string;
  amount: string;
  portalUrl: string;
}): MessageText {
  return {
    subject: `Order ${p.orderCode} could not be accepted: your payment is being refunded`,
    body: [
      `Thank you for order ${p.orderCode}. When your payment arrived, part of it could no longer be accepted: ${p.reason}.`,
      `Nothing of the order was started, and we are refunding the whole ${p.amount} to the way you paid; depending on your bank it shows within a few days.`,
      ...(p.portalUrl ? [`The order and its refund: ${orderLink(p.portalUrl, p.orderCode)}`] : []),
    ].join('\n\n'),
  };
}

/** The receipt, sent when the payment lands (guests too): what was paid, and where to follow the order. */
export function paymentReceiptMessage(p: {
  orderCode: string;
  amount: string;
  paidWith: string;
  needsReview: boolean;
  portalUrl: string;
}): MessageText {
  const page = orderLink(p.portalUrl, p.orderCode);
  return {
    subject: `Receipt for order ${p.orderCode}: ${p.amount} paid`,
    body: [
      `Thank you: we received ${p.amount} for order ${p.orderCode}, paid with ${p.paidWith}.`,
      p.needsReview
        ? 'We review this order before setting it up, and will email you when that starts.'
        : 'We are setting up your order now; each step shows on your order page as it happens.',
      ...(p.portalUrl
        ? [`Your order: ${page}`, `Your invoice (PDF): ${p.portalUrl.replace(/\/$/, '')}/invoices/${p.orderCode}.pdf`]
        : []),
    ].join('\n\n'),
  };
}

export function retryingMessage(p: { orderCode: string; item: string; at: Date }): { title: string; message: string } {
  return {
    title: `Retrying order ${p.orderCode}`,
    message: `Failed to deliver ${p.item}. Retrying at ${p.at.toISOString().slice(11, 16)} UTC; nothing is needed from you.`,
  };
}

export function orderCompletedMessage(p: { orderCode: string; active: boolean; portalUrl: string }): MessageText {
  return {
    subject: p.active ? `Order ${p.orderCode} is active` : `Order ${p.orderCode} is complete`,
    body: [
      p.active
        ? `Everything in order ${p.orderCode} is set up and active.`
        : `Everything in order ${p.orderCode} has been delivered. Some items may need a last step from you; your order page says which.`,
      `See the details: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** Seed 000 phase 5: the customer's domain points at the nameservers we gave; its mail works. */
export function dnsVerifiedMessage(p: {
  orderCode: string;
  domain: string;
  orderActive: boolean;
  portalUrl: string;
}): MessageText {
  return {
    subject: `${p.domain} is active`,
    body: [
      `We can see ${p.domain} pointing at the nameservers we gave you, so its Microsoft 365 mail is set up and active.`,
      p.orderActive
        ? `Every domain in order ${p.orderCode} is now active.`
        : `Other domains in order ${p.orderCode} still wait for their nameservers; we keep checking them.`,
      `See the details: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** Seed 001's in-app "Order Created Notification", once a private SMTP order starts. */
export function privateSmtpOrderCreatedNotice(p: { orderCode: string }): { title: string; message: string } {
  return {
    title: `Order ${p.orderCode} is being processed`,
    message: `Your order ${p.orderCode} has been created and is being processed. We move each domain to our mail platform and create its mailboxes; the order page shows every step.`,
  };
}

/** Seed 001's in-app "Email Accounts Created Notification", with the number of mailboxes. */
export function emailAccountsCreatedNotice(p: { orderCode: string; domain: string; count: number }): {
  title: string;
  message: string;
} {
  return {
    title: 'New email accounts created',
    message: `New email accounts have been automatically created for your order ${p.orderCode}: ${p.count} on ${p.domain}. Their logins are on the order page.`,
  };
}

/** How to fix a registrar's refusal, by its classified code (seed 001's troubleshooting guide). */
function nameserverFix(p: { platform: string; code: string; domain: string; clientIp: string | null }): string {
  const registrar = p.platform === 'namecheap' ? 'Namecheap' : 'Spaceship';
  switch (p.code) {
    case 'ip_not_allowlisted':
      return `Namecheap only accepts API calls from addresses on your allow-list. In your Namecheap account, open Profile → Tools → Namecheap API Access and add our IP address${p.clientIp ? ` ${p.clientIp}` : ''} to the whitelisted IPs.`;
    case 'registrar_auth':
      return p.platform === 'namecheap'
        ? 'Namecheap did not accept the API user and key. Check that API access is enabled in your Namecheap account and enter the API user (your Namecheap login) and API key again.'
        : 'Spaceship did not accept the API key and secret. Create a key in Spaceship’s API Manager with permission to change nameservers, and enter the key and secret again.';
    case 'credentials_missing':
      return `We no longer hold the ${registrar} credentials given with this order. Enter them again on the order page.`;
    case 'domain_not_in_account':
      return `${p.domain} is not in the ${registrar} account these credentials open. Enter the credentials of the account that holds it, or correct the domain if it was mistyped.`;
    default:
      return `${registrar} refused the change. Check the domain at ${registrar} (for example that it is not locked), then resubmit; our support team can help if it still fails.`;
  }
}

/** Seed 001's "Nameserver Update Failure Notification": what failed, how to fix it, and to resubmit. */
export function nameserverUpdateFailedMessage(p: {
  orderCode: string;
  domain: string;
  platform: string;
  code: string;
  reason: string;
  clientIp: string | null;
  portalUrl: string;
}): MessageText {
  const registrar = p.platform === 'namecheap' ? 'Namecheap' : 'Spaceship';
  return {
    subject: `Action needed: order ${p.orderCode} is waiting for you`,
    body: [
      `We could not point ${p.domain} at our mail platform’s nameservers at ${registrar}, so order ${p.orderCode} is on hold as a draft.`,
      `What ${registrar} said: ${p.reason}`,
      `How to fix it: ${nameserverFix(p)}`,
      `Then open your order, change the credentials or domains if needed, and press Resubmit; we carry on where we stopped: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** An outbound webhook endpoint turned off after its deliveries kept failing. */
export function webhookEndpointDisabledMessage(p: {
  url: string;
  failingSince: Date;
  lastError: string;
  manageUrl: string;
}): MessageText {
  return {
    subject: 'A webhook endpoint of yours has been turned off',
    body: [
      `Handover could not deliver events to ${p.url} since ${p.failingSince.toISOString().slice(0, 16).replace('T', ' ')} UTC, so it has stopped sending to it.`,
      `The last attempt: ${p.lastError}`,
      'Events that happen while it is off are not sent to it. Once it answers again, turn it back on and redeliver the deliveries it missed from its list:',
      p.manageUrl,
    ].join('\n\n'),
  };
}

/** Seed 004: how an activation is said in messages, with its zone spelled out. */
function activationSentence(activation: { type: string; at: string | null; timeZone: string | null }): string {
  if (activation.type !== 'scheduled' || !activation.at)
    return 'We are setting it up now and will tell you when it is active.';
  return `It will be activated on ${describeMoment(new Date(activation.at), activation.timeZone ?? 'UTC')}.`;
}

/** Seed 004: the operator approved the order that waited for review. */
export function orderApprovedMessage(p: {
  orderCode: string;
  activation: { type: string; at: string | null; timeZone: string | null };
  portalUrl: string;
}): MessageText {
  return {
    subject: `Order ${p.orderCode} is approved`,
    body: [
      `We have reviewed and approved order ${p.orderCode}.`,
      activationSentence(p.activation),
      `Follow your order: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** Seed 004: the operator rejected the order; what was paid goes back. */
export function orderRejectedMessage(p: {
  orderCode: string;
  reason: string;
  refund: string | null;
  portalUrl: string;
}): MessageText {
  return {
    subject: `Order ${p.orderCode} was not approved`,
    body: [
      `We have reviewed order ${p.orderCode} and cannot accept it.`,
      `Why: ${p.reason}`,
      p.refund
        ? `We are refunding ${p.refund} to the way you paid; you will get a separate message when it goes through.`
        : 'Nothing was charged for it.',
      `See the order: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

const subscriptionsLink = (portalUrl: string) => `${portalUrl.replace(/\/$/, '')}/subscriptions`;
const day = (date: Date) => date.toISOString().slice(0, 10);

/** Seed 003: a renewal could not be charged; the service runs on through the grace period. */
export function renewalFailedMessage(p: {
  productName: string;
  orderCode: string;
  reason: string;
  graceEndsAt: Date;
  portalUrl: string;
}): MessageText {
  return {
    subject: `Your ${p.productName} renewal did not go through`,
    body: [
      `We could not take the renewal payment for ${p.productName} (order ${p.orderCode}). What the payment provider said: ${p.reason}`,
      `Your service keeps running until ${day(p.graceEndsAt)} (UTC). Update your payment method with the payment provider before then; once the renewal is paid, nothing else is needed.`,
      `If it is still unpaid on ${day(p.graceEndsAt)}, we suspend the service until it is paid. Your subscriptions: ${subscriptionsLink(p.portalUrl)}`,
    ].join('\n\n'),
  };
}

/** Seed 004 5a: the preflight found something missing before the activation date. */
export function activationPreflightFailedMessage(p: {
  orderCode: string;
  activation: { type: string; at: string | null; timeZone: string | null };
  problems: string[];
  portalUrl: string;
}): MessageText {
  return {
    subject: `Action needed before order ${p.orderCode} is activated`,
    body: [
      `${activationSentence(p.activation)} Before then, we need:`,
      p.problems.map((problem) => `- ${problem}`).join('\n'),
      `Once that is done, nothing more is needed: we check again before the date. Your order: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** Seed 003: the grace period is about to run out. */
export function graceReminderMessage(p: {
  productName: string;
  orderCode: string;
  graceEndsAt: Date;
  portalUrl: string;
}): MessageText {
  return {
    subject: `Reminder: ${p.productName} is suspended on ${day(p.graceEndsAt)} unless the renewal is paid`,
    body: [
      `The renewal payment for ${p.productName} (order ${p.orderCode}) is still unpaid.`,
      `Update your payment method with the payment provider before ${day(p.graceEndsAt)} (UTC) to keep the service running.`,
      `Your subscriptions: ${subscriptionsLink(p.portalUrl)}`,
    ].join('\n\n'),
  };
}

/** What a failed preflight found missing is there now. */
export function activationPreflightPassedMessage(p: {
  orderCode: string;
  activation: { type: string; at: string | null; timeZone: string | null };
  portalUrl: string;
}): MessageText {
  return {
    subject: `Order ${p.orderCode} is ready to be activated`,
    body: [
      `Everything order ${p.orderCode} needs is in place. ${activationSentence(p.activation)}`,
      `Your order: ${orderLink(p.portalUrl, p.orderCode)}`,
    ].join('\n\n'),
  };
}

/** Seed 003: the grace period ran out unpaid; delivery is suspended until the renewal is paid. */
export function subscriptionSuspendedMessage(p: {
  productName: string;
  orderCode: string;
  portalUrl: string;
}): MessageText {
  return {
    subject: `${p.productName} is suspended: the renewal is unpaid`,
    body: [
      `The renewal payment for ${p.productName} (order ${p.orderCode}) was still unpaid at the end of the grace period, so we have suspended the service. Nothing is deleted.`,
      'Pay the renewal with the payment provider and the service comes back by itself within minutes.',
      `Your subscriptions: ${subscriptionsLink(p.portalUrl)}`,
    ].join('\n\n'),
  };
}

/** Seed 003 "payment restores": the renewal was paid after a failure (sent from the webhook, which has no portal link). */
export function subscriptionRestoredMessage(p: {
  productName: string;
  orderCode: string;
  wasSuspended: boolean;
}): MessageText {
  return {
    subject: `${p.productName}: renewal received${p.wasSuspended ? ', service restored' : ''}`,
    body: [
      `Thank you: the renewal for ${p.productName} (order ${p.orderCode}) is paid.`,
      p.wasSuspended
        ? 'We are restoring the service now; your order page shows when it is back.'
        : 'Your service keeps running; nothing else is needed.',
      'Your subscriptions are listed in your account, under Subscriptions.',
    ].join('\n\n'),
  };
}
