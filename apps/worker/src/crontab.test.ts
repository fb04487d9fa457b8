import { parseCrontab } from 'graphile-worker';
import { describe, expect, it } from 'vitest';
import { crontab } from './crontab';

describe('crontab', () => {
  const items = parseCrontab(crontab);
  const at = (min: number) => ({ min, hour: 14, date: 3, month: 2, dow: 2 });

  it('runs verify_dns every 5 minutes (seed 000 phase 5), one waiting run at most, never retried', () => {
    const verify = items.find((item) => item.task === 'verify_dns');
    expect(verify?.options).toMatchObject({ maxAttempts: 1, jobKey: 'verify_dns', jobKeyMode: 'replace' });
    const minutes = Array.from({ length: 60 }, (_, min) => min).filter((min) => verify?.match(at(min)));
    expect(minutes).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  });
});
