import { type RefundOrderInput, refundOrderInputSchema } from '@handover/contracts';
import { formatMoney, parseMoney } from '../../fields/money';

interface PaymentAmounts {
  id: string;
  amountMinor: number;
  refundedMinor: number;
  currency: string;
}
interface RefundAmounts {
  paymentId: string;
  status: string;
  amountMinor: number;
}

/** What can still go back from a payment: paid, less refunded, less refunds still on their way (as the server counts). */
export function refundableMinor(payment: PaymentAmounts, refunds: RefundAmounts[]): number {
  const inFlight = refunds
    .filter((r) => r.paymentId === payment.id && r.status === 'pending')
    .reduce((sum, r) => sum + r.amountMinor, 0);
  return Math.max(payment.amountMinor - payment.refundedMinor - inFlight, 0);
}

export interface RefundFormValues {
  /** As typed, in major units ("49.00"). */
  amount: string;
  toWallet: boolean;
  reason: string;
  /** Undefined: the server's default (cancel when nothing paid is left on the order). */
  cancelFulfillment?: boolean;
}

export type RefundFormErrors = Partial<Record<'amount' | 'reason', string>>;

/**
 * The form as the refund procedure's input, checked with the server's own schema and against
 * what is left of the payment; or the errors to show beside the fields.
 */
export function toRefundInput(
  orderId: string,
  payment: PaymentAmounts,
  refundable: number,
  values: RefundFormValues,
): { input: RefundOrderInput; errors?: undefined } | { input?: undefined; errors: RefundFormErrors } {
  const errors: RefundFormErrors = {};
  const amountMinor = parseMoney(values.amount, payment.currency);
  if (amountMinor === null)
    errors.amount = `an amount in ${payment.currency}, like ${formatMoney(100, payment.currency)}`;
  else if (amountMinor > refundable)
    errors.amount = `At most ${formatMoney(refundable, payment.currency)} can be refunded from this payment.`;
  const parsed = refundOrderInputSchema.safeParse({
    orderId,
    paymentId: payment.id,
    amountMinor: amountMinor ?? undefined,
    toWallet: values.toWallet,
    reason: values.reason,
    cancelFulfillment: values.cancelFulfillment,
  });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'amountMinor' ? 'amount' : issue.path[0] === 'reason' ? 'reason' : null;
      if (field && !errors[field]) errors[field] = issue.message;
    }
  }
  if (errors.amount || errors.reason || !parsed.success) {
    return { errors: Object.keys(errors).length ? errors : { reason: 'this refund cannot be sent as it is' } };
  }
  return { input: parsed.data };
}
