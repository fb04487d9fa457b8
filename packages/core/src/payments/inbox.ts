import { randomUUID } from 'node:crypto';
import { PAYMENT_GATEWAYS, type PaymentGatewayName } from '@handover/contracts';
import { raiseAlert } from '../alerts/alerts';
import { preparedQuery } from '../database/preparedQuery';
import { WriteBatch } from '../database/writeBatch';
import { TransientError } from '../errors';
import { jobSpec } from '../jobs/addJob';
import { applyPaymentEvent } from './applyPaymentEvent';
import { type NormalizedPaymentEvent, type WebhookHeaders, WebhookVerificationError } from './gateway';
import { DEFERRED_EVENT_RETRY_DELAYS_MS } from './jobs';
import { paymentLogFields, silentPaymentLogger } from './paymentLog';
import { type ClaimedCheckout, claimPaymentSucceeded } from './paymentReceived';
import { type EventOutcome, isOurReference, type PaymentDeps } from './processing';

export type WebhookReceipt =
  | { kind: 'unknown_gateway' }
  /** Unsigned, forged, expired or unreadable: answered 400, logged as a rejected row only. */
  | { kind: 'rejected'; reason: string }
  /** The gateway could not be asked to verify (PayPal): answered 503 so it delivers again. */
  | { kind: 'unavailable'; reason: string }
  | { kind: 'duplicate'; eventId: string }
  | { kind: 'accepted'; eventId: string; outcome: EventOutcome };

/**
 * `POST /webhooks/:gateway`: verifies the signature over the raw body, then records the event
 * in the inbox and applies it, in one transaction (see acceptPaymentEvent).
 */
export async function receivePaymentWebhook(
  deps: PaymentDeps,
  gatewayName: string,
  rawBody: Buffer,
  headers: WebhookHeaders,
): Promise<WebhookReceipt> {
  const logger = deps.logger ?? silentPaymentLogger;
  const gateway = PAYMENT_GATEWAYS.includes(gatewayName as PaymentGatewayName)
    ? deps.gateways[gatewayName as PaymentGatewayName]
    : undefined;
  if (!gateway) return { kind: 'unknown_gateway' };

  let event: NormalizedPaymentEvent;
  try {
    event = gateway.normalizeWebhookPayload(await gateway.verifyWebhook(rawBody, headers));
  } catch (error) {
    if (error instanceof TransientError) {
      logger.warn({ ...paymentLogFields({ gateway: gateway.name }), err: error }, 'webhook could not be verified now');
      return { kind: 'unavailable', reason: error.message };
    }
    // Any other failure to verify (a forged or stale signature, the gateway's verify call
    // refusing with a 4xx, a body that cannot be read) refuses the delivery: a 400 and a
    // rejected row, never a 500 that would show the gateway's or a parser's own words.
    const reason =
      error instanceof WebhookVerificationError ? error.message : `could not be verified: ${(error as Error).message}`;
    logger.warn({ ...paymentLogFields({ gateway: gateway.name }), reason }, 'webhook rejected');
    await deps.em
      .fork()
      .execute(`insert into payment_events (id, gateway, status, error, created_at) values (?, ?, 'rejected', ?, ?)`, [
        randomUUID(),
        gateway.name,
        reason.slice(0, 1000),
        deps.clock.now(),
      ]);
    return { kind: 'rejected', reason };
  }
  return acceptPaymentEvent(deps, event);
}

/**
 * The inbox: in ONE transaction, insert the (gateway, event id) row — a conflict means the event
 * was already taken, and nothing changes — then apply the event and store its outcome. An event
 * whose subject does not exist yet is kept `deferred` with a `process_payment_event` job to look
 * again. Nothing is marked processed unless the work it stands for commits with it.
 */
export async function acceptPaymentEvent(deps: PaymentDeps, event: NormalizedPaymentEvent): Promise<WebhookReceipt> {
  const logger = deps.logger ?? silentPaymentLogger;
  const now = deps.clock.now();
  const receipt = await deps.em.fork().transactional(async (em): Promise<WebhookReceipt> => {
    const rowId = randomUUID();
    const inbox = {
      sql: `insert into payment_events (id, gateway, event_id, type, status, payload, attempts, created_at)
            values (?, ?, ?, ?, 'received', ?::jsonb, 1, ?)
            on conflict (gateway, event_id) do nothing returning id`,
      params: [
        rowId,
        event.gateway,
        event.eventId,
        event.type === 'ignored' ? event.gatewayType : event.type,
        JSON.stringify(event.raw),
        now,
      ],
    };
    // A payment of one of our checkouts: the inbox row, the checkout's lock and its customer in
    // one round trip (the hot path); any other event claims its row alone.
    let claimed: ClaimedCheckout | undefined;
    if (event.type === 'payment.succeeded' && isOurReference(event.pendingOrderId)) {
      const claim = claimPaymentSucceeded(inbox, event);
      const [row] = await preparedQuery<ClaimedCheckout & { inboxId: string | null }>(em, claim.sql, claim.params);
      if (!row?.inboxId) return { kind: 'duplicate', eventId: event.eventId };
      claimed = { pending: row.pending, customerId: row.customerId };
    } else {
      const inserted = await preparedQuery<{ id: string }>(em, inbox.sql, inbox.params);
      if (inserted.length === 0) return { kind: 'duplicate', eventId: event.eventId };
    }
    const batch = new WriteBatch();
    const outcome = await applyPaymentEvent(
      { em, registry: deps.registry, now, batch, portalUrl: deps.portalUrl },
      event,
      claimed,
    );
    await em.flush();
    storeOutcome(batch, rowId, outcome, now, 1);
    if (outcome.status === 'deferred') {
      const [first] = deps.deferredRetryDelaysMs ?? DEFERRED_EVENT_RETRY_DELAYS_MS;
      batch.jobs([
        jobSpec(
          'process_payment_event',
          { paymentEventId: rowId },
          { runAt: new Date(now.getTime() + (first ?? 0)), newRow: true },
        ),
      ]);
    }
    await batch.execute(em);
    return { kind: 'accepted', eventId: event.eventId, outcome };
  });
  if (receipt.kind === 'duplicate') {
    logger.info(
      paymentLogFields({ gateway: event.gateway, eventId: event.eventId, eventType: event.type }),
      'payment event already received; nothing changed',
    );
  }
  if (receipt.kind === 'accepted') logOutcome(deps, event, receipt.outcome);
  return receipt;
}

/**
 * The worker's `process_payment_event`: another look at a deferred event, from its stored
 * payload. Still unmatched, it is looked at again later; after the last try, an alert.
 */
export async function retryDeferredPaymentEvent(
  deps: PaymentDeps,
  paymentEventId: string,
): Promise<EventOutcome | null> {
  const now = deps.clock.now();
  const result = await deps.em.fork().transactional(async (em) => {
    const [row] = await em.execute<
      {
        gateway: PaymentGatewayName;
        event_id: string;
        status: string;
        payload: Record<string, unknown>;
        attempts: number;
      }[]
    >('select gateway, event_id, status, payload, attempts from payment_events where id = ? for update', [
      paymentEventId,
    ]);
    if (row?.status !== 'deferred') return null;
    const gateway = deps.gateways[row.gateway];
    if (!gateway) throw new Error(`payment event ${paymentEventId}: the ${row.gateway} gateway is not configured here`);
    const event = gateway.normalizeWebhookPayload(row.payload);
    const batch = new WriteBatch();
    const outcome = await applyPaymentEvent(
      { em, registry: deps.registry, now, batch, portalUrl: deps.portalUrl },
      event,
    );
    await em.flush();
    const attempts = row.attempts + 1;
    if (outcome.status === 'deferred') {
      const next = (deps.deferredRetryDelaysMs ?? DEFERRED_EVENT_RETRY_DELAYS_MS)[attempts - 1];
      if (next !== undefined) {
        batch.jobs([jobSpec('process_payment_event', { paymentEventId }, { runAt: new Date(now.getTime() + next) })]);
      } else {
        outcome.note = `${outcome.note}; gave up after ${attempts} tries`;
        await raiseAlert(em, {
          type: 'payment_event_unmatched',
          severity: 'critical',
          message: `${row.gateway} event ${row.event_id} still refers to something Handover does not know (${outcome.note}). Check the payment by hand.`,
          subjectType: 'payment_event',
          subjectId: paymentEventId,
        });
      }
    }
    storeOutcome(batch, paymentEventId, outcome, now, attempts);
    await batch.execute(em);
    return { event, outcome };
  });
  if (!result) return null;
  logOutcome(deps, result.event, result.outcome);
  return result.outcome;
}

function storeOutcome(batch: WriteBatch, rowId: string, outcome: EventOutcome, now: Date, attempts: number): void {
  const pendingOrderId =
    outcome.pendingOrderId && isOurReference(outcome.pendingOrderId) ? outcome.pendingOrderId : null;
  batch.write(
    `update payment_events
        set status = ?, order_id = ?, pending_order_id = ?, payment_id = ?, error = ?, attempts = ?, processed_at = ?
      where id = ? returning 1`,
    [
      outcome.status,
      outcome.orderId ?? null,
      pendingOrderId,
      outcome.paymentId ?? null,
      outcome.note ?? null,
      attempts,
      outcome.status === 'deferred' ? null : now,
      rowId,
    ],
  );
}

function logOutcome(deps: PaymentDeps, event: NormalizedPaymentEvent, outcome: EventOutcome): void {
  const logger = deps.logger ?? silentPaymentLogger;
  const line = {
    ...paymentLogFields({
      gateway: event.gateway,
      eventId: event.eventId,
      eventType: event.type,
      orderId: outcome.orderId,
      paymentId: outcome.paymentId,
      pendingOrderId: outcome.pendingOrderId,
      refundId: outcome.refundId,
      isTest: outcome.isTest,
    }),
    outcome: outcome.status,
    ...(outcome.note ? { note: outcome.note } : {}),
  };
  if (outcome.status === 'deferred') logger.warn(line, 'payment event deferred: what it refers to is not known yet');
  else logger.info(line, `payment event ${outcome.status}`);
}
