import { describe, expect, it } from 'vitest';
import { timeUnitFor } from './reportCharts';

describe('the unit of the time-to-fulfil chart', () => {
  it('plots seconds when the slowest is under two minutes, so a p50 of one second is a bar of 1', () => {
    const unit = timeUnitFor(4);
    expect(unit).toEqual({ name: 'seconds', short: 's', seconds: 1 });
    expect(1 / unit.seconds).toBe(1);
  });

  it('plots minutes, then hours, for slower deliveries', () => {
    expect(timeUnitFor(600).name).toBe('minutes');
    expect(timeUnitFor(3 * 3_600).name).toBe('hours');
  });
});
