import { PermanentError } from '@handover/core';

/**
 * The currencies PayPal's REST API accepts, with their decimals. HUF, JPY and TWD take none
 * (PayPal's currency codes reference); the rest take two.
 */
const PAYPAL_DECIMALS: Record<string, number> = {
  AUD: 2,
  BRL: 2,
  CAD: 2,
  CNY: 2,
  CZK: 2,
  DKK: 2,
  EUR: 2,
  HKD: 2,
  HUF: 0,
  ILS: 2,
  JPY: 0,
  MYR: 2,
  MXN: 2,
  TWD: 0,
  NZD: 2,
  NOK: 2,
  PHP: 2,
  PLN: 2,
  GBP: 2,
  SGD: 2,
  SEK: 2,
  CHF: 2,
  THB: 2,
  USD: 2,
};

function decimalsOf(currency: string): number {
  const decimals = PAYPAL_DECIMALS[currency.toUpperCase()];
  if (decimals === undefined) throw new PermanentError(`PayPal does not take ${currency}`, 'unsupported_currency');
  return decimals;
}

/** Minor units to PayPal's decimal string (`1050` USD → `"10.50"`, `1050` JPY → `"1050"`), by string arithmetic. */
export function toPayPalValue(minor: number, currency: string): string {
  if (!Number.isSafeInteger(minor) || minor < 0) {
    throw new PermanentError(
      `amount must be a non-negative whole number of minor units, got ${minor}`,
      'invalid_amount',
    );
  }
  const decimals = decimalsOf(currency);
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

/** PayPal's decimal string back to minor units, refusing more decimals than the currency has. */
export function fromPayPalValue(value: string, currency: string): number {
  const decimals = decimalsOf(currency);
  const match = /^(\d+)(?:\.(\d+))?$/.exec(value);
  const fraction = match?.[2] ?? '';
  if (!match?.[1] || fraction.length > decimals) {
    throw new PermanentError(`"${value}" is not a ${currency} amount`, 'invalid_amount');
  }
  const minor = BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new PermanentError(`"${value}" is too large`, 'invalid_amount');
  return Number(minor);
}
