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
      `We tried several times to deliver ${p.item} for order ${p.orderCode} and could not finish it.`,
      `What went wrong: ${p.reason}`,
      'Our team has been alerted and will contact you; you have not been charged twice, and nothing is needed from you now.',
      `Follow your order: ${orderLink(p.portalUrl, p.orderCode)}`,
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
