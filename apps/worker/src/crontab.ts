/** Recurring jobs (graphile-worker crontab syntax). */
export const crontab = `
# Abandoned checkouts expire (seed 000's pending_orders).
*/5 * * * * expire_pending_orders
`;
