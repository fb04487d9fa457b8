import type { FulfillmentStatus, OrderFulfillmentStatus } from '@handover/contracts';

export type Tone = 'ok' | 'busy' | 'wait' | 'bad' | 'neutral';

/** Every status in a customer's words, with a tone for its badge. */
export const orderStatusText: Record<OrderFulfillmentStatus, { label: string; tone: Tone; next: string }> = {
  pending: { label: 'Starting', tone: 'busy', next: 'We are about to start delivering your order.' },
  processing: {
    label: 'Being delivered',
    tone: 'busy',
    next: 'We are delivering your order now; this page updates by itself.',
  },
  waiting: { label: 'Waiting', tone: 'wait', next: 'Part of your order is waiting; the details below say for what.' },
  manual_pending: {
    label: 'With our team',
    tone: 'wait',
    next: 'Our team is completing part of your order by hand; we will let you know when it is done.',
  },
  scheduled: { label: 'Scheduled', tone: 'wait', next: 'Your order will be delivered on the date shown below.' },
  completed: {
    label: 'Delivered',
    tone: 'ok',
    next: 'Everything is delivered. Some items may need a last step from you, shown below.',
  },
  active: { label: 'Active', tone: 'ok', next: 'Everything is set up and working.' },
  partially_failed: {
    label: 'Partly delivered',
    tone: 'bad',
    next: 'Some items could not be delivered. Our team has been alerted and will contact you.',
  },
  failed: {
    label: 'Not delivered',
    tone: 'bad',
    next: 'We could not deliver your order. Our team has been alerted and will contact you; you have not been charged twice.',
  },
  cancelled: { label: 'Cancelled', tone: 'neutral', next: 'This order was cancelled.' },
  suspended: { label: 'Suspended', tone: 'neutral', next: 'This service is suspended. Contact us to restore it.' },
};

export const deliveryStatusText: Record<FulfillmentStatus, { label: string; tone: Tone }> = {
  queued: { label: 'Queued', tone: 'busy' },
  processing: { label: 'Being delivered', tone: 'busy' },
  awaiting_inventory: { label: 'Waiting for stock', tone: 'wait' },
  awaiting_provider: { label: 'Waiting for the provider', tone: 'wait' },
  awaiting_customer: { label: 'Waiting for you', tone: 'wait' },
  manual_pending: { label: 'With our team', tone: 'wait' },
  scheduled: { label: 'Scheduled', tone: 'wait' },
  draft: { label: 'Needs your attention', tone: 'bad' },
  completed: { label: 'Delivered', tone: 'ok' },
  active: { label: 'Active', tone: 'ok' },
  failed: { label: 'Not delivered', tone: 'bad' },
  cancelled: { label: 'Cancelled', tone: 'neutral' },
  suspended: { label: 'Suspended', tone: 'neutral' },
};

export const stepStatusText: Record<string, string> = {
  running: 'in progress',
  waiting: 'waiting',
  done: 'done',
  failed: 'did not work',
  compensated: 'undone',
};

const FINAL: readonly OrderFulfillmentStatus[] = ['failed', 'cancelled', 'suspended', 'active', 'partially_failed'];

/** Whether the page should keep asking for news. A completed order may still be waiting for DNS. */
export function isSettled(status: OrderFulfillmentStatus, dnsStatus: string): boolean {
  if (status === 'completed') return dnsStatus !== 'pending_verification';
  return FINAL.includes(status);
}

export function StatusBadge({ label, tone }: { label: string; tone: Tone }) {
  return <span className={`status status-${tone}`}>{label}</span>;
}

export const formatTime = (date: Date | string) =>
  new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(date));
