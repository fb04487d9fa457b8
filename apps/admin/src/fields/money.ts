/** Minor units per major unit, from the currency's ISO 4217 digits (JPY 0, USD 2, BHD 3). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units as a number of major units, for plotting (never for sums: those stay in minor units). */
export function toMajor(minor: number, currency: string): number {
  return minor / 10 ** currencyDigits(currency);
}

/** Minor units (cents) as the currency's usual form. */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(toMajor(minor, currency));
}

/**
 * What a person typed ("49", "49.5", "49.50") as minor units, without passing through a float;
 * null when it is not an amount in this currency (a letter, too many decimals).
 */
export function parseMoney(text: string, currency: string): number | null {
  const digits = currencyDigits(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) return null;
  const [, whole = '', fraction = ''] = match;
  if (fraction.length > digits) return null;
  return Number(whole) * 10 ** digits + Number(fraction.padEnd(digits, '0') || '0');
}

/** Minor units as a person would type them back: `4900, 'USD'` → `49.00`. */
export function toMajorText(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = minor.toString().padStart(digits + 1, '0');
  return digits === 0 ? text : `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
