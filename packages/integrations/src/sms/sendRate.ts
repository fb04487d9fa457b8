export interface SendRateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: SendRateClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Spaces sends out to at most `perSecond` a second in this process, so that a burst (a bulk
 * retry finishing many orders at once) queues here instead of being refused by the provider.
 */
export class SendRate {
  private nextSlot = 0;

  constructor(
    private readonly perSecond: number,
    private readonly clock: SendRateClock = realClock,
  ) {}

  /** Resolves when the caller may send. */
  async take(): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / this.perSecond;
    if (slot > now) await this.clock.sleep(slot - now);
  }
}
