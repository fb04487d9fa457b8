import type { DnsVerificationDeps, EngineDeps, PaymentDeps } from '@handover/core';
import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { cancelFulfillment } from './cancel_fulfillment';
import { capturePayment } from './capture_payment';
import { expirePendingOrdersTask } from './expire_pending_orders';
import { fulfill } from './fulfill';
import { inventoryRestocked } from './inventory_restocked';
import { processPaymentEvent } from './process_payment_event';
import { refundPayment } from './refund_payment';
import { type SendOutboxDeps, sendOutbox } from './send_outbox';
import { suspendFulfillment } from './suspend_fulfillment';
import { verifyDns } from './verify_dns';

export interface TaskDeps extends SendOutboxDeps {
  engine: EngineDeps;
  /** The DNS cron's resolver and settings (seed 000 phase 5). */
  dns: DnsVerificationDeps;
  /** The money flow: captures, refund retries and deferred payment events. */
  payments: PaymentDeps;
  logger: Logger;
}

/** One task per file in this folder, named as its identifier. */
export function buildTaskList(deps: TaskDeps): TaskList {
  return {
    cancel_fulfillment: cancelFulfillment(deps),
    capture_payment: capturePayment(deps),
    expire_pending_orders: expirePendingOrdersTask(deps),
    fulfill: fulfill(deps),
    inventory_restocked: inventoryRestocked(deps),
    process_payment_event: processPaymentEvent(deps),
    refund_payment: refundPayment(deps),
    send_outbox: sendOutbox(deps),
    suspend_fulfillment: suspendFulfillment(deps),
    verify_dns: verifyDns(deps),
  };
}
