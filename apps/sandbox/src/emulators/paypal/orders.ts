import { randomId } from '../shared/ids';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** PayPal's ids for orders, captures and refunds: 17 capitals and digits. */
export const paypalId = () => randomId(17, UPPER);

/** Currencies PayPal takes without decimals; every other supported one has two. */
const ZERO_DECIMAL = new Set(['HUF', 'JPY', 'TWD']);

export const decimalsOf = (currency: string) => (ZERO_DECIMAL.has(currency) ? 0 : 2);

/** `value` as PayPal checks it: digits, and exactly the currency's decimals (or none). */
export function toMinor(value: string, currency: string): number | null {
  const decimals = decimalsOf(currency);
  const match = /^(\d{1,10})(?:\.(\d+))?$/.exec(value);
  if (!match?.[1]) return null;
  const fraction = match[2] ?? '';
  if (fraction.length > decimals) return null;
  return Number(match[1]) * 10 ** decimals + Number(fraction.padEnd(decimals, '0') || '0');
}

export function fromMinor(minor: number, currency: string): string {
  const decimals = decimalsOf(currency);
  if (decimals === 0) return String(minor);
  const digits = String(minor).padStart(decimals + 1, '0');
  return `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}

export interface Amount {
  currency_code: string;
  value: string;
}

export interface Capture {
  id: string;
  status: 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';
  amount: Amount;
  custom_id: string | null;
  invoice_id: string | null;
  final_capture: true;
  create_time: string;
  update_time: string;
  supplementary_data: { related_ids: { order_id: string } };
  refundedMinor: number;
}

export interface Order {
  id: string;
  intent: 'CAPTURE';
  status: 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
  purchase_units: { reference_id: string; custom_id: string | null; description: string | null; amount: Amount }[];
  payer: { email_address: string; payer_id: string } | null;
  returnUrl: string | null;
  cancelUrl: string | null;
  payerEmail: string | null;
  /** Set when payment_source.paypal was used, which PayPal answers with a payer-action link. */
  payerAction: boolean;
  capture: Capture | null;
  create_time: string;
  update_time: string;
}
