import { TransientError } from '../errors';

/** Who waits for a hash: a sign-in is served before sign-ups, resets and password changes. */
export type HashPriority = 'sign_in' | 'other';

export interface HashingGateOptions {
  /** Hashes running at once; the rest wait. scrypt runs on libuv's pool of 4 threads. */
  concurrency: number;
  /** Hashes that may wait per priority; past that the call is refused at once (503). */
  maxWaiting: number;
}

export const DEFAULT_HASHING_GATE: HashingGateOptions = { concurrency: 2, maxWaiting: 200 };

/**
 * A cap on password hashing. Each hash takes a thread of libuv's small pool and tens to hundreds
 * of milliseconds of CPU: without a cap, a burst of sign-ups or resets fills the pool, and a
 * sign-in (and every file read and DNS lookup) waits behind all of it. With one, at most
 * `concurrency` hashes run; other hashing never takes the last free slot, which is kept for a
 * sign-in, and a waiting sign-in goes before everything else that waits.
 */
export class HashingGate {
  private running = 0;
  private peak = 0;
  private peakWaiting = 0;
  private readonly waiting: Record<HashPriority, (() => void)[]> = { sign_in: [], other: [] };

  constructor(private options: HashingGateOptions = DEFAULT_HASHING_GATE) {}

  configure(options: HashingGateOptions): void {
    this.options = options;
  }

  /** Running and waiting now, and the most ever run or waiting at once (what the cap's tests read). */
  get stats() {
    return {
      running: this.running,
      waiting: this.waiting.sign_in.length + this.waiting.other.length,
      peakRunning: this.peak,
      peakWaiting: this.peakWaiting,
    };
  }

  /** Slots `priority` may fill: all of them for a sign-in, all but one for the rest (one at least). */
  private slotsFor(priority: HashPriority): number {
    const { concurrency } = this.options;
    return priority === 'sign_in' ? concurrency : Math.max(1, concurrency - 1);
  }

  async run<T>(work: () => Promise<T>, priority: HashPriority = 'other'): Promise<T> {
    if (this.running >= this.slotsFor(priority) || this.waiting[priority].length > 0) {
      const queue = this.waiting[priority];
      if (queue.length >= this.options.maxWaiting) {
        throw new TransientError('Too many sign-ins at once right now. Try again in a moment.', 'hashing_busy', {
          retryAfterMs: 5_000,
        });
      }
      // The slot is handed over by a finishing hash, so `running` never passes the cap.
      const waited = new Promise<void>((resolve) => queue.push(resolve));
      this.peakWaiting = Math.max(this.peakWaiting, this.stats.waiting);
      await waited;
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** A finished hash hands its slot to a waiting sign-in, else to other waiting hashing if that may take it. */
  private release(): void {
    // A waiting sign-in takes the slot; other hashing takes it only if within its share.
    const next =
      this.waiting.sign_in.shift() ??
      (this.running - 1 < this.slotsFor('other') ? this.waiting.other.shift() : undefined);
    if (next) next();
    else this.running--;
  }
}
