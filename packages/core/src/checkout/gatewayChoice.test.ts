import type { PaymentGatewayName } from '@handover/contracts';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors';
import { chooseGateway, type GatewayOptions } from './gatewayChoice';

const product = (
  name: string,
  enabledPaymentGateways: PaymentGatewayName[],
  defaultPaymentGateway = enabledPaymentGateways[0] ?? 'sandbox',
): GatewayOptions => ({ name, enabledPaymentGateways, defaultPaymentGateway });

const all = () => true;
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors.gateway?.[0];
    throw error;
  }
  throw new Error('expected a refusal');
};

describe('chooseGateway', () => {
  it("takes the customer's choice when every product in the cart enables it", () => {
    const cart = [product('Domain', ['stripe', 'paypal']), product('Mailbox', ['paypal', 'stripe'])];
    expect(chooseGateway(cart, 'paypal', all)).toBe('paypal');
  });

  it('refuses a choice one product does not enable, naming that product', () => {
    const cart = [product('Domain', ['stripe', 'paypal']), product('Data bundle', ['wallet', 'stripe'])];
    expect(refusal(() => chooseGateway(cart, 'paypal', all))).toBe('Data bundle cannot be paid with PayPal.');
  });

  it('refuses a gateway this server has no credentials for, and the wallet to a guest', () => {
    const cart = [product('Domain', ['stripe', 'wallet'])];
    const onlyWallet = (g: PaymentGatewayName) => g === 'wallet';
    expect(refusal(() => chooseGateway(cart, 'stripe', onlyWallet))).toMatch(/Card \(Stripe\) is not available/);
    expect(refusal(() => chooseGateway(cart, 'wallet', (g) => g !== 'wallet'))).toBe(
      'Sign in to pay from your wallet.',
    );
  });

  it('picks the only usable gateway when the customer made no choice', () => {
    const cart = [product('Domain', ['stripe', 'paypal'], 'stripe')];
    expect(chooseGateway(cart, undefined, (g) => g === 'paypal')).toBe('paypal');
  });

  it("uses the products' shared default when several are usable, and asks when their defaults differ", () => {
    const same = [product('A', ['stripe', 'dodo'], 'dodo'), product('B', ['dodo', 'stripe'], 'dodo')];
    expect(chooseGateway(same, undefined, all)).toBe('dodo');
    const differ = [product('A', ['stripe', 'dodo'], 'dodo'), product('B', ['dodo', 'stripe'], 'stripe')];
    expect(refusal(() => chooseGateway(differ, undefined, all))).toBe(
      'Choose how to pay: Card (Stripe), Dodo Payments.',
    );
  });

  it('refuses a cart whose products share no gateway', () => {
    const cart = [product('A', ['stripe']), product('B', ['paypal'])];
    expect(refusal(() => chooseGateway(cart, undefined, all))).toMatch(/share no way to pay/);
  });
});
