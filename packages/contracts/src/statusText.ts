import type {
  ActivationStatus,
  DnsStatus,
  FulfillmentStatus,
  OrderFulfillmentStatus,
  OrderStatus,
  StepStatus,
} from './statuses';

/** How a status feels at a glance: the portal colours its badge by it. */
export type StatusTone = 'ok' | 'busy' | 'wait' | 'bad' | 'neutral';

/** An order's fulfillment status in a customer's words, with what happens next. */
export const ORDER_FULFILLMENT_STATUS_TEXT: Record<
  OrderFulfillmentStatus,
  { label: string; tone: StatusTone; next: string }
> = {
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

/** One delivery's (fulfillment record's) status in a customer's words. */
export const FULFILLMENT_STATUS_TEXT: Record<FulfillmentStatus, { label: string; tone: StatusTone }> = {
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

/** Seed 004's Activation_Status__c in a customer's (and ops') words. */
export const ACTIVATION_STATUS_TEXT: Record<ActivationStatus, { label: string; tone: StatusTone }> = {
  not_started: { label: 'Not started', tone: 'wait' },
  activating: { label: 'Activating', tone: 'busy' },
  activated: { label: 'Activated', tone: 'ok' },
  failed: { label: 'Failed', tone: 'bad' },
};

export interface StatusText {
  label: string;
  tone: StatusTone;
  next: string;
}

/**
 * What the customer sees at the top of an order: money first (a refunded order says so, and
 * never that "our team will contact you"), then a step left to them (a domain whose nameservers
 * they still have to change is not a green "Delivered"), then the delivery's own status.
 */
export function customerOrderStatus(order: {
  status: OrderStatus;
  fulfillmentStatus: OrderFulfillmentStatus;
  dnsStatus: DnsStatus;
}): StatusText {
  const delivery = ORDER_FULFILLMENT_STATUS_TEXT[order.fulfillmentStatus];
  if (order.status === 'refunded') {
    return {
      label: 'Refunded',
      tone: 'neutral',
      next: 'Your payment was refunded in full; the amount and date are under Payment below. Nothing more is needed from you.',
    };
  }
  if (order.status === 'cancelled') {
    return {
      label: 'Cancelled',
      tone: 'neutral',
      next: 'This order was cancelled; any refund is shown under Payment below.',
    };
  }
  if (order.status === 'partially_refunded' && delivery.tone === 'bad') {
    return {
      ...delivery,
      next: 'Some items could not be delivered, and we refunded them; the amounts are under Payment below.',
    };
  }
  if (order.status === 'pending_review') {
    return {
      label: 'Being reviewed',
      tone: 'wait',
      next: 'We review this order before setting it up, and will email you when that starts.',
    };
  }
  if (order.fulfillmentStatus === 'completed' && order.dnsStatus === 'pending_verification') {
    return {
      label: 'Your step: point your domain',
      tone: 'wait',
      next: 'Your order is set up. To finish, set the nameservers shown below at your domain’s registrar; we check by ourselves and email you when it works.',
    };
  }
  return delivery;
}

/** One delivery's status for its customer: a delivered domain still waiting for their nameservers says so. */
export function customerDeliveryStatus(
  status: FulfillmentStatus,
  dnsStatus: string | null | undefined,
): { label: string; tone: StatusTone } {
  if (status === 'completed' && dnsStatus === 'pending_verification') {
    return { label: 'Waiting for your nameservers', tone: 'wait' };
  }
  return FULFILLMENT_STATUS_TEXT[status];
}

/** A step of a delivery's timeline, in a customer's words. */
export const STEP_STATUS_TEXT: Record<StepStatus, string> = {
  running: 'in progress',
  waiting: 'waiting',
  done: 'done',
  failed: 'did not work',
  compensated: 'undone',
};

/** A status value as staff read it in lists and filters (`awaiting_provider` → `awaiting provider`). */
export const statusLabel = (status: string): string => status.replaceAll('_', ' ');

/** Choices for a staff filter or select over one state machine's values. */
export const statusChoices = <S extends string>(statuses: readonly S[]): { id: S; name: string }[] =>
  statuses.map((id) => ({ id, name: statusLabel(id) }));
