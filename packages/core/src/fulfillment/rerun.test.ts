import { describe, expect, it } from 'vitest';
import { rerunOptions } from './rerun';

const steps = (...statuses: ('done' | 'failed' | 'waiting' | 'compensated')[]) =>
  statuses.map((status, i) => ({ name: `step${i + 1}`, status }));

describe('rerunOptions', () => {
  it('offers no re-run on a delivered record, and says to refund instead', () => {
    for (const status of ['completed', 'active', 'suspended'] as const) {
      const options = rerunOptions(status, steps('done', 'done'));
      expect(options.every((o) => !o.offered)).toBe(true);
      expect(options[0]?.effect).toMatch(/order it again at the provider.*Refund/);
    }
  });

  it('offers no re-run from a step when it or a later one is still done at the provider', () => {
    const [first, second, third] = rerunOptions('awaiting_customer', steps('done', 'done', 'waiting'));
    expect(first).toMatchObject({ offered: false, effect: expect.stringMatching(/^step1, step2 are done/) });
    expect(second).toMatchObject({ offered: false, effect: expect.stringMatching(/^step2 is done/) });
    expect(third).toMatchObject({
      offered: true,
      effect:
        'Runs step3 again as new requests to the provider. Nothing delivered is repeated, and the customer sees the order in progress.',
    });
  });

  it('offers every step of a failed record whose done steps were undone, naming what runs again', () => {
    const options = rerunOptions('failed', steps('compensated', 'failed'));
    expect(options.map((o) => o.offered)).toEqual([true, true]);
    expect(options[0]?.effect).toMatch(/^Runs step1, then step2 again/);
  });

  it('offers nothing while the record is being worked on, or once cancelled', () => {
    expect(rerunOptions('processing', steps('failed'), true)[0]?.offered).toBe(false);
    expect(rerunOptions('cancelled', steps('compensated'))[0]?.offered).toBe(false);
  });
});
