import type {
  ActivationCheck,
  AlertRecipients,
  AlertThresholds,
  BillingSystem,
  DnsVerificationDeps,
  EngineDeps,
  PaymentDeps,
  ReconcileSettings,
  WebhookDeliveryDeps,
} from '@handover/core';
import type { SmsSender } from '@handover/integrations';
import type { Logger } from 'pino';
import type { SendOutboxDeps } from './send_outbox';

/** What every task is built with: the services of this worker process. */
export interface TaskDeps extends SendOutboxDeps {
  engine: EngineDeps;
  /** The DNS cron's resolver and settings (seed 000 phase 5). */
  dns: DnsVerificationDeps;
  /** The money flow: captures, refund retries and deferred payment events. */
  payments: PaymentDeps;
  /** Seed 004 5a: the preflight checks this process can run, and how long before it looks again at what was missing. */
  activation: { checks: readonly ActivationCheck[]; recheckAfterMs?: number };
  /** How often, and how many at a time, delivered records are checked against their provider. */
  reconcile: ReconcileSettings;
  /** Seed 003's failed renewals: how long the grace period runs before delivery is suspended. */
  subscriptions: { graceDays: number };
  /** The SMS provider texts go through and their statuses are read from; null when none is set up. */
  sms: SmsSender | null;
  /** Outbound webhooks: where they may go, how they are signed and retried, how often new events are read. */
  webhooks: WebhookDeliveryDeps & { dispatchIntervalMs: number };
  /** Seed 004's billing system (WHMCS), where sign-up opens the customer's client; null when none is set up. */
  billing: BillingSystem | null;
  /** Who is told of alerts, and the rules' thresholds. */
  alerts: { recipients: AlertRecipients; thresholds: AlertThresholds };
  logger: Logger;
}
