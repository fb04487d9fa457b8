import { describe, expect, it } from 'vitest';
import { parseMoney, toMajorText } from '../../fields/money';
import { refundableMinor, toRefundInput } from './refundForm';

const orderId = '0b9c6a8e-4a7d-4f7e-9d3c-1f2e3d4c5b6a';
const payment = {
  id: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b',
  amountMinor: 14900,
  refundedMinor: 4900,
  currency: 'USD',
};

describe('the refund form', () => {
  it('leaves out what is refunded and what is still on its way back', () => {
    const refunds = [
      { paymentId: payment.id, status: 'succeeded', amountMinor: 4900 },
      { paymentId: payment.id, status: 'pending', amountMinor: 1000 },
      { paymentId: payment.id, status: 'failed', amountMinor: 3000 },
      { paymentId: 'another payment', status: 'pending', amountMinor: 500 },
    ];
    expect(refundableMinor(payment, refunds)).toBe(9000);
  });

  it('reads typed amounts as minor units without floating-point drift', () => {
    expect(parseMoney('49', 'USD')).toBe(4900);
    expect(parseMoney(' 0.29 ', 'USD')).toBe(29);
    expect(parseMoney('49.5', 'USD')).toBe(4950);
    expect(parseMoney('49.505', 'USD')).toBeNull();
    expect(parseMoney('-1', 'USD')).toBeNull();
    expect(parseMoney('1500', 'JPY')).toBe(1500);
    expect(parseMoney('15.5', 'JPY')).toBeNull();
    expect(toMajorText(10000, 'USD')).toBe('100.00');
    expect(toMajorText(5, 'USD')).toBe('0.05');
  });

  it('sends the payment, the amount in minor units and the reason as the server takes them', () => {
    const result = toRefundInput(orderId, payment, 10000, { amount: '25.00', toWallet: true, reason: ' goodwill ' });
    expect(result.input).toEqual({
      orderId,
      paymentId: payment.id,
      amountMinor: 2500,
      toWallet: true,
      reason: 'goodwill',
      cancelFulfillment: undefined,
    });
  });

  it('refuses nothing, more than is left, and a refund without a reason, with the server’s messages', () => {
    expect(toRefundInput(orderId, payment, 10000, { amount: '0', toWallet: false, reason: 'x' }).errors).toEqual({
      amount: 'refund at least one minor unit',
      reason: 'say why, for the customer and the books',
    });
    expect(
      toRefundInput(orderId, payment, 10000, { amount: '100.01', toWallet: false, reason: 'too much' }).errors,
    ).toEqual({ amount: expect.stringMatching(/^At most .*100\.00 can be refunded from this payment\.$/) });
    expect(toRefundInput(orderId, payment, 10000, { amount: 'ten', toWallet: false, reason: 'typo' }).errors).toEqual({
      amount: expect.stringContaining('an amount in USD'),
    });
  });
});
