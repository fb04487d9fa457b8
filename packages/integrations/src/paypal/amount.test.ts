import { describe, expect, it } from 'vitest';
import { fromPayPalValue, toPayPalValue } from './amount';

describe('PayPal amounts', () => {
  it('writes minor units as two-decimal strings, padding small amounts', () => {
    expect(toPayPalValue(1050, 'USD')).toBe('10.50');
    expect(toPayPalValue(5, 'EUR')).toBe('0.05');
    expect(toPayPalValue(0, 'GBP')).toBe('0.00');
    expect(toPayPalValue(123456789012, 'usd')).toBe('1234567890.12');
  });

  it('writes zero-decimal currencies without a decimal point', () => {
    expect(toPayPalValue(1050, 'JPY')).toBe('1050');
    expect(toPayPalValue(7, 'HUF')).toBe('7');
  });

  it('reads decimal strings back exactly, where float arithmetic would drift', () => {
    expect(fromPayPalValue('10.50', 'USD')).toBe(1050);
    // 19.99 * 100 is 1998.9999999999998 in floating point.
    expect(fromPayPalValue('19.99', 'USD')).toBe(1999);
    expect(fromPayPalValue('1', 'USD')).toBe(100);
    expect(fromPayPalValue('10.5', 'EUR')).toBe(1050);
    expect(fromPayPalValue('1050', 'JPY')).toBe(1050);
  });

  it('refuses amounts that are not whole minor units, and currencies PayPal does not take', () => {
    expect(() => fromPayPalValue('10.50', 'JPY')).toThrow(/not a JPY amount/);
    expect(() => fromPayPalValue('-1.00', 'USD')).toThrow(/not a USD amount/);
    expect(() => fromPayPalValue('1.005', 'USD')).toThrow(/not a USD amount/);
    expect(() => toPayPalValue(10.5, 'USD')).toThrow(/whole number/);
    expect(() => toPayPalValue(100, 'KWD')).toThrow(/does not take KWD/);
  });
});
