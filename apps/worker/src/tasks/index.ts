import type { JobName } from '@handover/core';
import type { Task } from 'graphile-worker';
import { activateOrder } from './activate_order';
import { activationPreflight } from './activation_preflight';
import { activationsDue } from './activations_due';
import { cancelFulfillment } from './cancel_fulfillment';
import { capturePayment } from './capture_payment';
import { checkDomainTransfers } from './check_domain_transfers';
import { compensateRecord } from './compensate_record';
import { deliverAlertsTask } from './deliver_alerts';
import { deliverWebhookTask } from './deliver_webhook';
import type { TaskDeps } from './deps';
import { dispatchWebhooks } from './dispatch_webhooks';
import { evaluateAlerts } from './evaluate_alerts';
import { expirePendingOrdersTask } from './expire_pending_orders';
import { fulfill } from './fulfill';
import { inventoryRestocked } from './inventory_restocked';
import { openBillingAccount } from './open_billing_account';
import { processPaymentEvent } from './process_payment_event';
import { reconcileRecords } from './reconcile_records';
import { refundPayment } from './refund_payment';
import { resumeFulfillment } from './resume_fulfillment';
import { runRecordAction } from './run_record_action';
import { sendOutbox } from './send_outbox';
import { smsDeliveryStatus } from './sms_delivery_status';
import { subscriptionGrace } from './subscription_grace';
import { suspendFulfillment } from './suspend_fulfillment';
import { syncRecord } from './sync_record';
import { verifyDns } from './verify_dns';

export type { TaskDeps } from './deps';

/** Every job of packages/core's JOBS has its task: one per file in this folder, named as its identifier. */
export type TaskListOfAllJobs = { [N in JobName]: Task<N> };

export function buildTaskList(deps: TaskDeps): TaskListOfAllJobs {
  return {
    activate_order: activateOrder(deps),
    activation_preflight: activationPreflight(deps),
    activations_due: activationsDue(deps),
    cancel_fulfillment: cancelFulfillment(deps),
    capture_payment: capturePayment(deps),
    check_domain_transfers: checkDomainTransfers(deps),
    deliver_webhook: deliverWebhookTask(deps),
    dispatch_webhooks: dispatchWebhooks(deps),
    compensate_record: compensateRecord(deps),
    deliver_alerts: deliverAlertsTask(deps),
    evaluate_alerts: evaluateAlerts(deps),
    expire_pending_orders: expirePendingOrdersTask(deps),
    fulfill: fulfill(deps),
    inventory_restocked: inventoryRestocked(deps),
    open_billing_account: openBillingAccount(deps),
    process_payment_event: processPaymentEvent(deps),
    reconcile_records: reconcileRecords(deps),
    refund_payment: refundPayment(deps),
    run_record_action: runRecordAction(deps),
    resume_fulfillment: resumeFulfillment(deps),
    send_outbox: sendOutbox(deps),
    sms_delivery_status: smsDeliveryStatus(deps),
    subscription_grace: subscriptionGrace(deps),
    suspend_fulfillment: suspendFulfillment(deps),
    sync_record: syncRecord(deps),
    verify_dns: verifyDns(deps),
  };
}
