import { parseCronItems } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { cronItems } from './crontab';

describe('cron items', () => {
  const items = parseCronItems(cronItems);
  const at = (min: number) => ({ min, hour: 14, date: 3, month: 2, dow: 2 });
  const minutesOf = (task: string) =>
    Array.from({ length: 60 }, (_, min) => min).filter((min) => items.find((i) => i.task === task)?.match(at(min)));

  it('runs verify_dns every 5 minutes (seed 000 phase 5), one waiting run at most, never retried', () => {
    const verify = items.find((item) => item.task === 'verify_dns');
    expect(verify?.options).toMatchObject({ maxAttempts: 1, jobKey: 'verify_dns', jobKeyMode: 'replace' });
    expect(minutesOf('verify_dns')).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  });

  it('checks delivered records against their providers every 15 minutes, under the job key JOBS gives', () => {
    const reconcile = items.find((item) => item.task === 'reconcile_records');
    expect(reconcile?.options).toMatchObject({ maxAttempts: 1, jobKey: 'reconcile_records', backfillPeriod: 0 });
    expect(minutesOf('reconcile_records')).toEqual([0, 15, 30, 45]);
  });

  it('looks at pending domain transfers every 5 minutes (seed 001 step 7), one waiting run at most', () => {
    const transfers = items.find((item) => item.task === 'check_domain_transfers');
    expect(transfers?.options).toMatchObject({
      maxAttempts: 1,
      jobKey: 'check_domain_transfers',
      jobKeyMode: 'replace',
    });
    expect(minutesOf('check_domain_transfers')).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  });

  it('wakes the webhook dispatcher every minute, in case its own loop stopped, one waiting run at most', () => {
    const dispatch = items.find((item) => item.task === 'dispatch_webhooks');
    expect(dispatch?.options).toMatchObject({ maxAttempts: 1, jobKey: 'dispatch_webhooks', jobKeyMode: 'replace' });
    expect(minutesOf('dispatch_webhooks')).toHaveLength(60);
  });

  it('looks every minute for scheduled activations and preflights whose time has come (seed 004 5a)', () => {
    const due = items.find((item) => item.task === 'activations_due');
    expect(due?.options).toMatchObject({ maxAttempts: 1, jobKey: 'activations_due', jobKeyMode: 'replace' });
    expect(minutesOf('activations_due')).toHaveLength(60);
  });

  it('moves failed renewals through their grace period every 15 minutes (seed 003), one waiting run at most', () => {
    const grace = items.find((item) => item.task === 'subscription_grace');
    expect(grace?.options).toMatchObject({ maxAttempts: 1, jobKey: 'subscription_grace', jobKeyMode: 'replace' });
    expect(minutesOf('subscription_grace')).toEqual([0, 15, 30, 45]);
  });

  it('evaluates the alert rules every minute, one waiting run at most', () => {
    const evaluate = items.find((item) => item.task === 'evaluate_alerts');
    expect(evaluate?.options).toMatchObject({ maxAttempts: 1, jobKey: 'evaluate_alerts', jobKeyMode: 'replace' });
    expect(minutesOf('evaluate_alerts')).toHaveLength(60);
  });
});
