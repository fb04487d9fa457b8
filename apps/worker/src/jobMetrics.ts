import type { Metrics } from '@handover/core';
import type { WorkerEvents } from 'graphile-worker';

/** Counts the jobs this process runs, by task and outcome, from graphile-worker's events. */
export function observeJobs(metrics: Metrics, events: WorkerEvents): void {
  events.on('job:success', ({ job }) => metrics.jobsRun.inc({ task: job.task_identifier, outcome: 'success' }));
  events.on('job:error', ({ job }) => {
    // job:failed follows when this was the last attempt.
    if (job.attempts < job.max_attempts) metrics.jobsRun.inc({ task: job.task_identifier, outcome: 'error' });
  });
  events.on('job:failed', ({ job }) => metrics.jobsRun.inc({ task: job.task_identifier, outcome: 'failed' }));
}
