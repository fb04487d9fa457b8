/**
 * The metadata key under which every gateway carries our pending order's id from checkout to its
 * webhooks (Stripe and Dodo metadata; PayPal uses custom_id instead).
 */
export const PENDING_ORDER_ID_KEY = 'pending_order_id';

/** The sum of the line items, which must be the amount the gateway is asked to take. */
export function lineItemsTotal(lineItems: { quantity: number; unitAmountMinor: number }[]): number {
  return lineItems.reduce((sum, item) => sum + item.quantity * item.unitAmountMinor, 0);
}
