import { describe, expect, it } from 'vitest';
import { TransientError } from '../errors';
import { HashingGate } from './hashingGate';
import { hashPassword, passwordHashing, verifyPassword } from './passwords';

/** Work the test finishes by hand, so that nothing depends on how long anything takes. */
function heldWork(log: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    finish: () => finish(),
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
  };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('the password hashing gate', () => {
  it('never runs more hashes at once than its cap, however many are asked for', async () => {
    const gate = new HashingGate({ concurrency: 3, maxWaiting: 100 });
    const started: string[] = [];
    const jobs = Array.from({ length: 12 }, (_, i) => heldWork(started, `h${i}`));
    const results = jobs.map((job, i) => gate.run(job.work, i % 2 ? 'sign_in' : 'other'));
    await turn();
    expect(gate.stats).toMatchObject({ running: 3, waiting: 9 });
    for (const job of jobs) {
      job.finish();
      await turn();
      expect(gate.stats.running).toBeLessThanOrEqual(3);
    }
    expect((await Promise.all(results)).sort()).toEqual(jobs.map((_, i) => `h${i}`).sort());
    expect(gate.stats).toEqual({ running: 0, waiting: 0, peakRunning: 3, peakWaiting: 9 });
  });

  it('keeps the last slot for a sign-in: a flood of other hashing never makes a sign-in wait for a slot', async () => {
    const gate = new HashingGate({ concurrency: 2, maxWaiting: 100 });
    const started: string[] = [];
    const flood = Array.from({ length: 6 }, (_, i) => heldWork(started, `reset${i}`));
    const floodDone = flood.map((job) => gate.run(job.work, 'other'));
    await turn();
    expect(started).toEqual(['reset0']);
    expect(gate.stats).toMatchObject({ running: 1, waiting: 5 });
    const signIn = heldWork(started, 'sign-in');
    const signInDone = gate.run(signIn.work, 'sign_in');
    await turn();
    expect(started).toEqual(['reset0', 'sign-in']);
    // The sign-in's slot goes back to sign-ins: the flood keeps to its one.
    signIn.finish();
    await signInDone;
    expect(gate.stats).toMatchObject({ running: 1, waiting: 5 });
    for (const job of flood) {
      job.finish();
      await turn();
      expect(gate.stats.running).toBeLessThanOrEqual(1);
    }
    await Promise.all(floodDone);
    expect(started).toEqual(['reset0', 'sign-in', 'reset1', 'reset2', 'reset3', 'reset4', 'reset5']);
  });

  it('starts a waiting sign-in before every other hash that waits', async () => {
    const gate = new HashingGate({ concurrency: 1, maxWaiting: 100 });
    const started: string[] = [];
    const flood = Array.from({ length: 5 }, (_, i) => heldWork(started, `reset${i}`));
    const floodDone = flood.map((job) => gate.run(job.work, 'other'));
    const signIn = heldWork(started, 'sign-in');
    const signInDone = gate.run(signIn.work, 'sign_in');
    await turn();
    expect(started).toEqual(['reset0']);
    flood[0]?.finish();
    await turn();
    expect(started).toEqual(['reset0', 'sign-in']);
    signIn.finish();
    for (const job of flood) job.finish();
    for (let i = 0; i < 6; i++) await turn();
    await Promise.all([...floodDone, signInDone]);
    expect(started).toEqual(['reset0', 'sign-in', 'reset1', 'reset2', 'reset3', 'reset4']);
  });

  it('refuses at once, as a retryable error, past the waiting room', async () => {
    const gate = new HashingGate({ concurrency: 1, maxWaiting: 2 });
    const started: string[] = [];
    const jobs = Array.from({ length: 3 }, (_, i) => heldWork(started, `h${i}`));
    const running = jobs.map((job) => gate.run(job.work));
    await expect(gate.run(async () => 'one too many')).rejects.toBeInstanceOf(TransientError);
    for (const job of jobs) job.finish();
    await Promise.all(running);
  });

  it('is the gate every scrypt hash and check of the process goes through', async () => {
    const cost = { N: 2 ** 10, r: 8, p: 1 };
    const stored = await hashPassword('correct horse battery', cost);
    passwordHashing.configure({ concurrency: 1, maxWaiting: 100 });
    try {
      const checks = Array.from({ length: 4 }, () => verifyPassword('correct horse battery', stored));
      expect(passwordHashing.stats).toMatchObject({ running: 1, waiting: 3 });
      expect(await Promise.all(checks)).toEqual([true, true, true, true]);
      expect(passwordHashing.stats).toMatchObject({ running: 0, waiting: 0 });
    } finally {
      passwordHashing.configure({ concurrency: 2, maxWaiting: 200 });
    }
  });
});
