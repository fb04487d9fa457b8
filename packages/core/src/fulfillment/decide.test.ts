import { FULFILLMENT_STATUSES, type FulfillmentStatus } from '@handover/contracts';
import { describe, expect, it } from 'vitest';
import { VENDOR_PAUSED_REASON } from '../providers/vendorGuard';
import { type Decision, decide, MANUAL_REASON, type RecordEvent, type RecordState } from './decide';

const now = new Date('2026-03-01T10:00:00Z');
const later = new Date('2026-03-01T10:00:10Z');
const task = { title: 'Check it', instructions: 'By hand.' };

const state = (status: FulfillmentStatus, patch: Partial<RecordState> = {}): RecordState => ({
  status,
  step: 'create',
  stepIndex: 0,
  stepCount: 2,
  attempt: 1,
  pollCount: 0,
  policy: { maxAttempts: 3, backoffSeconds: [2, 4] },
  completedStatus: 'completed',
  notifyOnRetry: false,
  ...patch,
});

/** Each kind of thing that can happen, with the state it happens in beside the record's status. */
const happenings: { name: string; patch?: Partial<RecordState>; event: RecordEvent; whenRunnable: Decision }[] = [
  {
    name: 'a middle step done',
    event: { kind: 'done', output: { id: 'r1' } },
    whenRunnable: { kind: 'next', status: 'processing', journal: 'done' },
  },
  {
    name: 'the last step done',
    patch: { stepIndex: 1, completedStatus: 'active' },
    event: { kind: 'done', output: {} },
    whenRunnable: { kind: 'complete', status: 'active', journal: 'done' },
  },
  {
    name: 'a wait for a poll',
    patch: { pollCount: 4 },
    event: { kind: 'poll', status: 'awaiting_provider', reason: 'Setting up', pollAt: later, maxPolls: 30 },
    whenRunnable: {
      kind: 'wait',
      status: 'awaiting_provider',
      reason: 'Setting up',
      journal: 'waiting',
      pollAt: later,
      pollCount: 5,
      task: null,
    },
  },
  {
    name: 'a poll past its limit',
    patch: { pollCount: 30 },
    event: { kind: 'poll', status: 'awaiting_provider', reason: 'Setting up', pollAt: later, maxPolls: 30 },
    whenRunnable: {
      kind: 'fail',
      status: 'failed',
      journal: 'failed',
      reason: 'create: the provider had not finished after 30 checks (Setting up)',
      code: 'poll_limit',
    },
  },
  {
    name: 'a wait for an event',
    event: { kind: 'await', status: 'awaiting_inventory', reason: 'Waiting for stock' },
    whenRunnable: {
      kind: 'wait',
      status: 'awaiting_inventory',
      reason: 'Waiting for stock',
      journal: 'waiting',
      pollAt: null,
      pollCount: 0,
      task: null,
    },
  },
  {
    name: 'a hand-over to a person',
    event: { kind: 'manual', task },
    whenRunnable: {
      kind: 'wait',
      status: 'manual_pending',
      reason: MANUAL_REASON,
      journal: 'waiting',
      pollAt: null,
      pollCount: 0,
      task,
    },
  },
  {
    name: 'a manual task still open',
    event: { kind: 'manual_open' },
    whenRunnable: {
      kind: 'wait',
      status: 'manual_pending',
      reason: MANUAL_REASON,
      journal: 'waiting',
      pollAt: null,
      pollCount: 0,
      task: null,
    },
  },
  {
    name: 'a transient error with attempts left',
    patch: { attempt: 2, notifyOnRetry: true },
    event: { kind: 'error', transient: true, message: 'PlugSaaS answered 503', code: 'provider_unavailable' },
    whenRunnable: {
      kind: 'retry',
      status: 'processing',
      journal: 'failed',
      at: new Date(now.getTime() + 4000),
      attempts: 2,
      notify: true,
      reason: 'Attempt 2 did not work; trying again shortly',
    },
  },
  {
    name: 'a transient error on the last attempt',
    patch: { attempt: 3 },
    event: { kind: 'error', transient: true, message: 'PlugSaaS answered 503', code: 'provider_unavailable' },
    whenRunnable: {
      kind: 'fail',
      status: 'failed',
      journal: 'failed',
      reason: 'PlugSaaS answered 503 (after 3 attempts)',
      code: 'provider_unavailable',
    },
  },
  {
    name: "a vendor's open circuit, even on the last attempt",
    patch: { attempt: 3, pollCount: 2 },
    event: {
      kind: 'error',
      transient: true,
      message: 'plugsaas is failing: calls are paused after 5 failures in a row',
      code: 'circuit_open',
      retryAfterMs: 10_000,
    },
    whenRunnable: {
      kind: 'wait',
      status: 'awaiting_provider',
      reason: VENDOR_PAUSED_REASON,
      journal: 'waiting',
      pollAt: later,
      pollCount: 2,
      task: null,
    },
  },
  {
    name: "a vendor's rate limit taken for longer than a call waits",
    event: {
      kind: 'error',
      transient: true,
      message: "plugsaas's rate limit (5/s) is taken for the next 10 s",
      code: 'vendor_rate_limit',
      retryAfterMs: 10_000,
    },
    whenRunnable: {
      kind: 'wait',
      status: 'awaiting_provider',
      reason: VENDOR_PAUSED_REASON,
      journal: 'waiting',
      pollAt: later,
      pollCount: 0,
      task: null,
    },
  },
  {
    name: 'a permanent error',
    event: { kind: 'error', transient: false, message: 'Invalid phone number', code: 'invalid_phone' },
    whenRunnable: {
      kind: 'fail',
      status: 'failed',
      journal: 'failed',
      reason: 'Invalid phone number',
      code: 'invalid_phone',
    },
  },
  {
    name: 'a replay after a crash',
    event: { kind: 'replay' },
    whenRunnable: { kind: 'rerun', status: 'processing', journal: 'none' },
  },
  {
    name: 'a cancellation',
    event: { kind: 'cancel' },
    whenRunnable: { kind: 'ignore', journal: 'none' },
  },
];

const RUNNABLE: FulfillmentStatus[] = [
  'queued',
  'processing',
  'awaiting_inventory',
  'awaiting_provider',
  'awaiting_customer',
  'manual_pending',
  'scheduled',
  'draft',
];
const FINISHED: FulfillmentStatus[] = ['completed', 'active', 'failed', 'suspended'];

describe('decide: every outcome from every state', () => {
  it('covers every status there is', () => {
    expect([...RUNNABLE, ...FINISHED, 'cancelled'].sort()).toEqual([...FULFILLMENT_STATUSES].sort());
  });

  for (const status of RUNNABLE) {
    for (const happening of happenings) {
      it(`${status} + ${happening.name}`, () => {
        expect(decide(state(status, happening.patch), happening.event, now)).toEqual(happening.whenRunnable);
      });
    }
  }

  for (const status of FINISHED) {
    for (const happening of happenings) {
      it(`${status} + ${happening.name}: nothing (the record has moved on)`, () => {
        expect(decide(state(status, happening.patch), happening.event, now)).toEqual({
          kind: 'ignore',
          journal: 'none',
        });
      });
    }
  }

  for (const happening of happenings) {
    it(`cancelled + ${happening.name}: undo the done steps${happening.event.kind === 'done' ? ', this one too' : ''}`, () => {
      expect(decide(state('cancelled', happening.patch), happening.event, now)).toEqual({
        kind: 'compensate',
        status: 'cancelled',
        journal: happening.event.kind === 'done' ? 'done' : 'none',
      });
    });
  }

  it("waits at least as long as the provider's Retry-After asks", () => {
    const decision = decide(
      state('processing'),
      { kind: 'error', transient: true, message: 'slow down', code: 'rate_limited', retryAfterMs: 60_000 },
      now,
    );
    expect(decision).toMatchObject({ kind: 'retry', at: new Date(now.getTime() + 60_000) });
  });

  it('fails a transient error at once under a one-attempt policy, without "after 1 attempts"', () => {
    const decision = decide(
      state('processing', { policy: { maxAttempts: 1, backoffSeconds: [] } }),
      { kind: 'error', transient: true, message: 'down', code: 'provider_unavailable' },
      now,
    );
    expect(decision).toEqual({
      kind: 'fail',
      status: 'failed',
      journal: 'failed',
      reason: 'down',
      code: 'provider_unavailable',
    });
  });
});
