/**
 * Recurring jobs (graphile-worker crontab syntax). The job key keeps one waiting run at most,
 * and a failed run is not retried: the next one comes 5 minutes later anyway.
 */
export const crontab = [
  // Seed 000 phase 5: "Cron job runs every 5 minutes" to verify customers' nameservers.
  '*/5 * * * * verify_dns ?max=1&jobKey=verify_dns',
  // Abandoned checkouts expire (seed 000's pending_orders).
  '*/5 * * * * expire_pending_orders ?max=1&jobKey=expire_pending_orders',
].join('\n');
