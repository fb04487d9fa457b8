import { z } from 'zod';

/** A staff refund (finance or admin): all of what is left of a payment, or part of it. */
export const refundOrderInputSchema = z.object({
  orderId: z.uuid(),
  /** Our payment id; default: the order's latest payment with something left to refund. */
  paymentId: z.uuid().optional(),
  /** Default: everything left of that payment. */
  amountMinor: z.number().int('whole minor units (cents)').min(1, 'refund at least one minor unit').optional(),
  /** Credit the customer's wallet instead of sending the money back through the gateway. */
  toWallet: z.boolean().default(false),
  reason: z.string().trim().min(3, 'say why, for the customer and the books').max(500),
  /** Stop or undo delivery once refunded; default: when nothing paid is left on the order. */
  cancelFulfillment: z.boolean().optional(),
});
export type RefundOrderInput = z.output<typeof refundOrderInputSchema>;
