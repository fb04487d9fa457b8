import { type JobName, type JobPayload, jobSpec } from '@handover/core';
import type { CronItem } from 'graphile-worker';

/** Jobs that need nothing in their payload, so that a schedule can add them. */
// biome-ignore lint/complexity/noBannedTypes: `{}` is exactly "a payload with nothing required".
type CronJobName = { [N in JobName]: {} extends JobPayload<N> ? N : never }[JobName];

/**
 * A recurring job. It keeps one waiting run at most (its job key), is not retried (the next
 * run comes anyway), and does not make up for runs missed while no worker was up.
 */
function every<N extends CronJobName>(match: string, task: N): CronItem {
  // A cron job's payload is graphile-worker's `_cron` alone, which the job's schema leaves out.
  const { jobKey, maxAttempts } = jobSpec(task, {} as JobPayload<N>);
  return { task, match, options: { jobKey, maxAttempts: maxAttempts ?? 1, jobKeyMode: 'replace', backfillPeriod: 0 } };
}

/** Recurring jobs (graphile-worker cron items), each a job of packages/core's JOBS. */
export const cronItems: CronItem[] = [
  // Seed 000 phase 5: "Cron job runs every 5 minutes" to verify customers' nameservers.
  every('*/5 * * * *', 'verify_dns'),
  // Seed 001 step 7: pending domain transfers are looked at, and their mailboxes made once active.
  every('*/5 * * * *', 'check_domain_transfers'),
  // Abandoned checkouts expire (seed 000's pending_orders).
  every('*/5 * * * *', 'expire_pending_orders'),
  // Seed 004 5a: scheduled activations and their preflights whose time has come (each also has its own job).
  every('* * * * *', 'activations_due'),
  // Seed 003: failed renewals' grace periods, their reminders, and suspension once they run out.
  every('*/15 * * * *', 'subscription_grace'),
  // Delivered records are checked against their provider (the drivers' syncStatus).
  every('*/15 * * * *', 'reconcile_records'),
  // Outbound webhooks: the dispatcher runs itself again while endpoints exist; this restarts it if it stopped.
  every('* * * * *', 'dispatch_webhooks'),
  // The alert rules (alerts/rules.ts): raised while their condition holds, resolved when it clears.
  every('* * * * *', 'evaluate_alerts'),
];
