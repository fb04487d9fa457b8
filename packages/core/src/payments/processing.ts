import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import type { WriteBatch } from '../database/writeBatch';
import type { DriverRegistry } from '../fulfillment/registry';
import type { PaymentGateways } from './gateways';
import type { PaymentLogger } from './paymentLog';

/** What the money flow needs: the database, the gateways, the drivers (to create records), time and a log. */
export interface PaymentDeps {
  /** Root entity manager; each unit of work forks it. */
  em: EntityManager;
  gateways: PaymentGateways;
  registry: DriverRegistry;
  clock: Clock;
  logger?: PaymentLogger;
  /** The customer portal, for links in the messages a payment causes. */
  portalUrl?: string;
  /** Overrides DEFERRED_EVENT_RETRY_DELAYS_MS (tests shorten it). */
  deferredRetryDelaysMs?: number[];
  /** How long before the worker sends again a refund its gateway did not answer (default 30 s). */
  refundRetryAfterMs?: number;
}

/** How one verified event changed things (or why it did not). */
export interface EventOutcome {
  status: 'processed' | 'ignored' | 'deferred';
  /** Why, in a sentence, for the inbox row and the log. */
  note?: string;
  orderId?: string | null;
  pendingOrderId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
  isTest?: boolean;
}

export const processed = (details: Omit<EventOutcome, 'status'> = {}): EventOutcome => ({
  status: 'processed',
  ...details,
});
export const ignored = (note: string, details: Omit<EventOutcome, 'status' | 'note'> = {}): EventOutcome => ({
  status: 'ignored',
  note,
  ...details,
});
export const deferred = (note: string, details: Omit<EventOutcome, 'status' | 'note'> = {}): EventOutcome => ({
  status: 'deferred',
  note,
  ...details,
});

/** The transaction an event is applied in, with what its handlers need. */
export interface EventContext {
  em: EntityManager;
  registry: DriverRegistry;
  now: Date;
  /** The customer portal, for links in messages (none when unknown). */
  portalUrl?: string;
  /**
   * Rows to write in one statement after the handler returns, with the inbox row's outcome
   * (the hot path: a paid order). Entities the handler changes through `em` are flushed first,
   * so they must not point at rows in the batch.
   */
  batch: WriteBatch;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Our pending order ids are UUIDs; metadata from anything else on the same gateway account is not ours. */
export const isOurReference = (value: string): boolean => UUID.test(value);
