import { describe, expect, it } from 'vitest';
import { formatMoney } from './money';

describe('formatMoney', () => {
  it("shows minor units with the currency's own number of decimals", () => {
    expect(formatMoney(1999, 'USD')).toBe('19.99 USD');
    expect(formatMoney(5, 'GHS')).toBe('0.05 GHS');
    expect(formatMoney(1500, 'JPY')).toBe('1500 JPY');
    expect(formatMoney(12345, 'BHD')).toBe('12.345 BHD');
  });

  it('keeps the sign of a debit', () => {
    expect(formatMoney(-250, 'USD')).toBe('-2.50 USD');
  });
});
