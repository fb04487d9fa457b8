/** Recurring jobs (graphile-worker crontab syntax). */
export const crontab = ``;
