import { describe, expect, it } from 'vitest';
import { customerDeliveryStatus, customerOrderStatus } from './statusText';

describe('what the customer reads at the top of an order', () => {
  it('says a refunded order was refunded, never that our team will contact them', () => {
    const status = customerOrderStatus({
      status: 'refunded',
      fulfillmentStatus: 'failed',
      dnsStatus: 'not_applicable',
    });
    expect(status).toMatchObject({ label: 'Refunded', tone: 'neutral' });
    expect(status.next).not.toMatch(/contact you/);
    const partly = customerOrderStatus({
      status: 'partially_refunded',
      fulfillmentStatus: 'partially_failed',
      dnsStatus: 'not_applicable',
    });
    expect(partly.next).toMatch(/refunded them/);
    expect(partly.next).not.toMatch(/contact you/);
  });

  it('names the customer’s own step, not a green "Delivered", while their nameservers are still to change', () => {
    const waiting = customerOrderStatus({
      status: 'paid',
      fulfillmentStatus: 'completed',
      dnsStatus: 'pending_verification',
    });
    expect(waiting).toMatchObject({ label: 'Your step: point your domain', tone: 'wait' });
    expect(waiting.next).toMatch(/set the nameservers shown below/);
    expect(
      customerOrderStatus({ status: 'paid', fulfillmentStatus: 'completed', dnsStatus: 'verified' }),
    ).toMatchObject({
      label: 'Delivered',
      tone: 'ok',
    });
    expect(customerDeliveryStatus('completed', 'pending_verification')).toEqual({
      label: 'Waiting for your nameservers',
      tone: 'wait',
    });
    expect(customerDeliveryStatus('completed', null)).toEqual({ label: 'Delivered', tone: 'ok' });
  });
});
