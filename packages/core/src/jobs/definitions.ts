import { PAYMENT_GATEWAYS, WEBHOOK_ATTEMPT_TRIGGERS } from '@handover/contracts';
import { z } from 'zod';

/**
 * One background job: its payload (ids, never whole objects), the rule that makes its job key
 * (one waiting job per key), and how often graphile-worker may run it before giving up.
 */
interface JobDefinition<P extends z.ZodType> {
  payload: P;
  key?(payload: z.output<P>): string;
  maxAttempts?: number;
}

const define = <P extends z.ZodType>(definition: JobDefinition<P>) => definition;

const recordPayload = z.object({ recordId: z.uuid() });

/**
 * Every job the worker runs, by task identifier: the one place where a job's name, payload and
 * key are written. Adding (`jobSpec`) and running (the worker's `defineTask`) both read it, and
 * graphile-worker's `GraphileWorker.Tasks` is declared from it, so the two agree at compile time.
 */
export const JOBS = {
  /** Runs one fulfillment record as far as it can go. */
  fulfill: define({
    payload: recordPayload,
    key: ({ recordId }) => `fulfill:${recordId}`,
    // The engine keeps its own attempt count and backoff; graphile-worker only redelivers crashes.
    maxAttempts: 25,
  }),
  /** A refunded order: the driver's `cancel` for one delivered record. */
  cancel_fulfillment: define({
    payload: recordPayload,
    key: ({ recordId }) => `cancel:${recordId}`,
    maxAttempts: 10,
  }),
  /** A subscription ended: the driver's `suspend` for one delivered record. */
  suspend_fulfillment: define({
    payload: recordPayload,
    key: ({ recordId }) => `suspend:${recordId}`,
    maxAttempts: 10,
  }),
  /** A suspended subscription was paid again: the driver's `resume` for one suspended record. */
  resume_fulfillment: define({
    payload: recordPayload,
    key: ({ recordId }) => `resume:${recordId}`,
    maxAttempts: 10,
  }),
  /**
   * Cron: subscriptions whose renewal failed (seed 003): reminders while the grace period runs,
   * then their delivery suspended once it is over.
   */
  subscription_grace: define({
    payload: z.object({}),
    key: () => 'subscription_grace',
    maxAttempts: 1,
  }),
  /** Asks the provider about one delivered record (the driver's `syncStatus`). */
  sync_record: define({
    payload: recordPayload,
    key: ({ recordId }) => `sync:${recordId}`,
    // The next reconcile run asks again.
    maxAttempts: 3,
  }),
  /** Cron: picks the delivered records due for a look at their provider and queues `sync_record` for each. */
  reconcile_records: define({
    payload: z.object({}),
    key: () => 'reconcile_records',
    maxAttempts: 1,
  }),
  /**
   * Cron (every due domain), one domain when its next check is due (`whenDue`), or "Check now"
   * (one record, at once): are the domain's nameservers ours yet?
   */
  verify_dns: define({
    payload: z.object({ recordId: z.uuid().optional(), whenDue: z.boolean().optional() }),
    key: ({ recordId }) => (recordId ? `verify_dns:${recordId}` : 'verify_dns'),
    // A failed lookup is simply tried again by the cron.
    maxAttempts: 1,
  }),
  /**
   * Cron (seed 001 step 7): wakes the records whose domain waits to turn active at Mailin.ai and
   * is due for a look; with an order, that order's at once ("Check now").
   */
  check_domain_transfers: define({
    payload: z.object({ orderId: z.uuid().optional() }),
    key: ({ orderId }) => (orderId ? `check_domain_transfers:${orderId}` : 'check_domain_transfers'),
    // The next run looks again.
    maxAttempts: 1,
  }),
  /**
   * A failed or cancelled record's undo that did not finish, tried again (its inventory stays
   * quarantined meanwhile); it schedules its own next try, so graphile-worker only redelivers crashes.
   */
  compensate_record: define({
    payload: recordPayload,
    key: ({ recordId }) => `compensate:${recordId}`,
    maxAttempts: 5,
  }),
  /** Tells ops (email and webhook, through the outbox) of alerts raised or resolved since the last run. */
  deliver_alerts: define({
    payload: z.object({}),
    key: () => 'deliver_alerts',
    maxAttempts: 5,
  }),
  /** Cron: the alert rules, raising what holds and resolving what cleared (alerts/rules.ts). */
  evaluate_alerts: define({
    payload: z.object({}),
    key: () => 'evaluate_alerts',
    maxAttempts: 1,
  }),
  /** Stock arrived in a pool: records waiting for inventory try again. */
  inventory_restocked: define({
    payload: z.object({ poolId: z.uuid() }),
    key: ({ poolId }) => `inventory_restocked:${poolId}`,
  }),
  /** Delivers one outbox message (email or SMS). */
  send_outbox: define({
    payload: z.object({ messageId: z.uuid() }),
    key: ({ messageId }) => `outbox:${messageId}`,
  }),
  /**
   * A text's delivery callback came: read the text's status back from the SMS provider. Keyed by
   * message, so callbacks arriving together make one read.
   */
  sms_delivery_status: define({
    payload: z.object({ messageId: z.uuid() }),
    key: ({ messageId }) => `sms_status:${messageId}`,
    maxAttempts: 8,
  }),
  /** Cron: abandoned checkouts past their expiry become `expired`. */
  expire_pending_orders: define({
    payload: z.object({}),
    key: () => 'expire_pending_orders',
    maxAttempts: 1,
  }),
  /** Another look at a payment event that arrived before what it refers to. */
  process_payment_event: define({
    payload: z.object({ paymentEventId: z.uuid() }),
    key: ({ paymentEventId }) => `payment_event:${paymentEventId}`,
    // The task schedules its own next look; graphile-worker only redelivers a crash.
    maxAttempts: 5,
  }),
  /** Takes the money of an approved payment (PayPal Orders v2). */
  capture_payment: define({
    payload: z.object({ gateway: z.enum(PAYMENT_GATEWAYS), paymentId: z.string().min(1), pendingOrderId: z.uuid() }),
    key: ({ gateway, paymentId }) => `capture:${gateway}:${paymentId}`,
    // graphile-worker's backoff between attempts: a gateway that is down gets about a day.
    maxAttempts: 12,
  }),
  /**
   * Turns new domain events into outbound webhook deliveries. Runs again soon after itself while
   * any endpoint is on; the cron wakes it every minute in case, and a new endpoint at once.
   */
  dispatch_webhooks: define({
    payload: z.object({}),
    key: () => 'dispatch_webhooks',
    maxAttempts: 1,
  }),
  /** One attempt of an outbound webhook delivery; the task schedules the next itself. */
  deliver_webhook: define({
    payload: z.object({ deliveryId: z.uuid(), trigger: z.enum(WEBHOOK_ATTEMPT_TRIGGERS) }),
    // A person's "Redeliver" does not replace the scheduled attempt.
    key: ({ deliveryId, trigger }) => `webhook:${deliveryId}${trigger === 'manual' ? ':manual' : ''}`,
    // graphile-worker only redelivers a crash; failed answers follow the task's own schedule.
    maxAttempts: 3,
  }),
  /**
   * Seed 004 5a: T−3 days before a scheduled activation, checks what it needs (a payment method on
   * file, the eSIM profile available) and tells the customer and ops what is missing.
   */
  activation_preflight: define({
    /** `force`: ops asked for the checks now ("Check now"), before they are due. */
    payload: z.object({ orderId: z.uuid(), force: z.boolean().optional() }),
    key: ({ orderId }) => `activation_preflight:${orderId}`,
    // A check whose system does not answer is tried again with graphile-worker's backoff.
    maxAttempts: 5,
  }),
  /** Seed 004 5a: the activation date came: the order's scheduled records start. */
  activate_order: define({
    payload: z.object({ orderId: z.uuid() }),
    key: ({ orderId }) => `activate_order:${orderId}`,
    maxAttempts: 5,
  }),
  /**
   * Cron: preflights and activations that are due by the clock, for any whose own job was lost
   * or came early; each gets its job now.
   */
  activations_due: define({
    payload: z.object({}),
    key: () => 'activations_due',
    maxAttempts: 1,
  }),
  /**
   * Seed 004 signup: a customer's account was confirmed; their client in the billing system (WHMCS)
   * and the mapping are made now rather than at the first billed need. Keyed by customer, so a
   * second confirmation or a duplicate never queues two; making it twice is harmless anyway
   * (ensureBillingAccount finds before it creates).
   */
  open_billing_account: define({
    payload: z.object({ userId: z.uuid() }),
    key: ({ userId }) => `open_billing_account:${userId}`,
    // graphile-worker's backoff between attempts: a WHMCS that is down gets about a day.
    maxAttempts: 12,
  }),
  /** Runs something asked of a delivered record (the driver's action: an eSIM reissued). */
  run_record_action: define({
    payload: z.object({ actionId: z.uuid() }),
    key: ({ actionId }) => `record_action:${actionId}`,
    maxAttempts: 10,
  }),
  /** Sends a refund again that its gateway did not answer, with the same idempotency key. */
  refund_payment: define({
    payload: z.object({ refundId: z.uuid() }),
    key: ({ refundId }) => `refund:${refundId}`,
    maxAttempts: 12,
  }),
};

export type JobName = keyof typeof JOBS;
export type JobPayload<N extends JobName> = z.input<(typeof JOBS)[N]['payload']>;
type JobPayloads = { [N in JobName]: JobPayload<N> };

declare global {
  namespace GraphileWorker {
    interface Tasks extends JobPayloads {}
  }
}
