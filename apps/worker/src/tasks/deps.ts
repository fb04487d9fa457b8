import type { DnsVerificationDeps, EngineDeps, PaymentDeps, ReconcileSettings } from '@handover/core';
import type { Logger } from 'pino';
import type { SendOutboxDeps } from './send_outbox';

/** What every task is built with: the services of this worker process. */
export interface TaskDeps extends SendOutboxDeps {
  engine: EngineDeps;
  /** The DNS cron's resolver and settings (seed 000 phase 5). */
  dns: DnsVerificationDeps;
  /** The money flow: captures, refund retries and deferred payment events. */
  payments: PaymentDeps;
  /** How often, and how many at a time, delivered records are checked against their provider. */
  reconcile: ReconcileSettings;
  logger: Logger;
}
