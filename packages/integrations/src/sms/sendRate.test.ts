import { describe, expect, it } from 'vitest';
import { SendRate } from './sendRate';

describe('SendRate', () => {
  it('lets the first sends of a burst through at once and spaces the rest evenly', async () => {
    let now = 1_000;
    const slept: number[] = [];
    const rate = new SendRate(4, {
      now: () => now,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    await Promise.all([rate.take(), rate.take(), rate.take()]);
    expect(slept).toEqual([250, 500]);

    now += 2_000;
    slept.length = 0;
    await rate.take();
    expect(slept).toEqual([]);
  });
});
