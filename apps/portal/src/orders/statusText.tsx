import {
  customerDeliveryStatus,
  customerOrderStatus,
  FULFILLMENT_STATUS_TEXT,
  ORDER_FULFILLMENT_STATUS_TEXT,
  type OrderFulfillmentStatus,
  STEP_STATUS_TEXT,
  type StatusTone,
} from '@handover/contracts';

/** Every status in a customer's words, with a tone for its badge (the shared texts in contracts). */
export const orderStatusText = ORDER_FULFILLMENT_STATUS_TEXT;
export const deliveryStatusText = FULFILLMENT_STATUS_TEXT;
export { customerDeliveryStatus, customerOrderStatus };
export const stepStatusText: Record<string, string> = STEP_STATUS_TEXT;

const FINAL: readonly OrderFulfillmentStatus[] = ['failed', 'cancelled', 'suspended', 'active', 'partially_failed'];

/** Whether the page should keep asking for news. A completed order may still be waiting for DNS. */
export function isSettled(status: OrderFulfillmentStatus, dnsStatus: string): boolean {
  if (status === 'completed') return dnsStatus !== 'pending_verification';
  return FINAL.includes(status);
}

export function StatusBadge({ label, tone }: { label: string; tone: StatusTone }) {
  return <span className={`status status-${tone}`}>{label}</span>;
}

export const formatTime = (date: Date | string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(date));
