import { describe, expect, it } from 'vitest';
import { priceText, toProductInput, validateProduct } from './productForm';

const product = {
  id: 'p1',
  createdAt: new Date(),
  slug: 'managed-email',
  name: 'Managed email',
  priceMinor: 100,
  currency: 'USD',
  deliveryModel: 'managed_setup',
  fulfillmentDriver: 'manual',
  fulfillmentConfig: { slaHours: 4, instructions: 'Do it' },
  enabledPaymentGateways: ['sandbox'],
  defaultPaymentGateway: 'sandbox',
};

describe('the product form', () => {
  it('sends only the product fields, and the retry waits typed as a comma list as numbers', () => {
    const input = toProductInput({ ...product, retryPolicy: { maxAttempts: 3, backoffSeconds: '300, 900,3600' } });
    expect(input).not.toHaveProperty('id');
    expect(input).not.toHaveProperty('createdAt');
    expect(input.retryPolicy).toEqual({ maxAttempts: 3, backoffSeconds: [300, 900, 3600] });
    expect(
      toProductInput({ ...product, retryPolicy: { maxAttempts: null, backoffSeconds: '' } }).retryPolicy,
    ).toBeNull();
  });

  it('leaves out a config field the admin emptied, so the driver applies its default', () => {
    const input = toProductInput({
      ...product,
      fulfillmentConfig: { slaHours: 4, instructions: '', maxPolls: null, enabled: false, plans: [] },
    });
    expect(input.fulfillmentConfig).toEqual({ slaHours: 4, enabled: false, plans: [] });
  });

  it("names the shared schema's errors by field, and leaves the driver config to the server", () => {
    const errors = validateProduct({
      ...product,
      slug: 'Not A Slug',
      defaultPaymentGateway: 'stripe',
      fulfillmentConfig: { slaHours: 0 },
    });
    expect(Object.keys(errors).sort()).toEqual(['defaultPaymentGateway', 'slug']);
    expect(errors.defaultPaymentGateway).toBe('must be one of the enabled gateways');
    expect(validateProduct(product)).toEqual({});
  });

  it('takes the price in the currency’s main unit, and shows a saved one the same way', () => {
    expect(toProductInput({ ...product, price: '49.50' }).priceMinor).toBe(4950);
    expect(toProductInput({ ...product, price: '49' }).priceMinor).toBe(4900);
    expect(toProductInput({ ...product, currency: 'JPY', price: '1200' }).priceMinor).toBe(1200);
    expect(priceText({ priceMinor: 4950, currency: 'USD' })).toBe('49.50');
    expect(priceText(undefined)).toBe('');
    expect(validateProduct({ ...product, price: '49.999' })).toEqual({ price: 'Enter the price in USD, like 49.00' });
    expect(validateProduct({ ...product, price: 'abc' })).toEqual({ price: 'Enter the price in USD, like 49.00' });
  });
});
