import type { FulfillmentStatus, OrderFulfillmentStatus } from '@handover/contracts';

/** Nothing more happens to a record in these states unless a person acts (retry, refund). */
export const TERMINAL_STATUSES: readonly FulfillmentStatus[] = [
  'completed',
  'active',
  'failed',
  'cancelled',
  'suspended',
];

/** States a `fulfill` job may pick a record up from. */
export const RUNNABLE_STATUSES: readonly FulfillmentStatus[] = [
  'queued',
  'processing',
  'awaiting_inventory',
  'awaiting_provider',
  'awaiting_customer',
  'manual_pending',
  'scheduled',
  'draft',
];

export const WAITING_STATUSES: readonly FulfillmentStatus[] = [
  'awaiting_inventory',
  'awaiting_provider',
  'awaiting_customer',
  'draft',
];

export function isTerminal(status: FulfillmentStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * The order's fulfillment_status from its records' statuses: all done → completed (active once
 * all are active); any failure → failed, or partially_failed when others got through; otherwise
 * the least advanced state wins, so the customer sees what is still outstanding.
 */
export function deriveOrderFulfillmentStatus(statuses: readonly FulfillmentStatus[]): OrderFulfillmentStatus {
  if (statuses.length === 0) return 'pending';
  const all = (...s: FulfillmentStatus[]) => statuses.every((x) => s.includes(x));
  const some = (...s: FulfillmentStatus[]) => statuses.some((x) => s.includes(x));
  if (all('cancelled')) return 'cancelled';
  if (all('active', 'cancelled')) return 'active';
  if (all('completed', 'active', 'cancelled')) return 'completed';
  if (all('suspended', 'completed', 'active', 'cancelled')) return 'suspended';
  if (some('failed')) return all('failed', 'cancelled') ? 'failed' : 'partially_failed';
  if (some('manual_pending')) return 'manual_pending';
  if (some(...WAITING_STATUSES)) return 'waiting';
  if (some('processing')) return 'processing';
  if (some('scheduled')) return 'scheduled';
  return 'pending';
}
