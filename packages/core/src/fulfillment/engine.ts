import { randomUUID } from 'node:crypto';
import type { FulfillmentStatus } from '@handover/contracts';
import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { SYSTEM } from '../activity/activity';
import type { Clock } from '../clock';
import { inTransaction, poolSql, type Sql } from '../database/sql';
import { WriteBatch } from '../database/writeBatch';
import { PermanentError, TransientError } from '../errors';
import type { DomainEvent, RecordFacts } from '../events/domainEvents';
import { jobSpec } from '../jobs/addJob';
import { captureProviderCalls, type ProviderCall } from '../providers/providerCalls';
import type {
  AnyFulfillmentAdapter,
  DriverServices,
  ExternalReferences,
  FulfillmentStepDefinition,
  ManualTaskSpec,
  RecordDescription,
  StepContext,
  StepRecord,
  StepResult,
} from './adapter';
import {
  COMPENSATION_RETRY_DELAYS_MS,
  type CompensationResult,
  compensateDoneSteps,
  compensationUnfinished,
  holdUnfinishedCompensation,
  journalCompensation,
  undid,
  withFailedAttempt,
} from './compensation';
import { type Decision, decide, type RecordEvent, type RecordState } from './decide';
import { type JournalEntry, journalStep, type LogSubject, logRows, stepIdempotencyKey } from './journal';
import { type ClaimedRecord, claimRecord, keepLease, leaseHolderOf, releaseLease } from './lease';
import { type DriverRegistry, describeZodError } from './registry';
import { DEFAULT_RETRY_POLICY } from './retryPolicy';
import { isTerminal } from './statuses';
import { describeItem, type RecordChanges, StaleTransitionError, writeTransition } from './transitions';

export interface EngineLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface EngineDeps {
  /** Root entity manager: steps get a fork of it for their own reads and writes. */
  em: EntityManager;
  /** The engine's own connections: claiming, journalling and completing run on them as prepared statements. */
  pool: pg.Pool;
  registry: DriverRegistry;
  clock: Clock;
  services: DriverServices;
  /** This worker process's id (worker_nodes.id): records are leased under it. */
  nodeId: string;
  /** How long a lease lasts without renewal; renewed while a step runs. */
  leaseMs?: number;
  /** The customer portal, for links in messages. */
  portalUrl: string;
  logger?: EngineLogger;
  /** How long an unfinished undo waits before each background retry (COMPENSATION_RETRY_DELAYS_MS). */
  compensationRetryDelaysMs?: readonly number[];
}

export type RunOutcome = 'completed' | 'waiting' | 'retry_scheduled' | 'failed' | 'cancelled' | 'busy' | 'skipped';

const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };

type Outputs = Record<string, Record<string, unknown>>;

/**
 * Runs one fulfillment record as far as it can go: takes its lease, resumes after the last step
 * journalled done, runs the rest, and stops at the first wait, manual task, scheduled retry,
 * completion or failure. Each step's outcome goes through `decide` (the rules) and is written
 * by the one record writer (transitions.ts) with its journal entry, logs and next job.
 */
export async function runFulfillment(deps: EngineDeps, recordId: string): Promise<RunOutcome> {
  const leaseMs = deps.leaseMs ?? 60_000;
  const logger = deps.logger ?? silentLogger;
  const claimed = await claimRecord(deps.pool, { recordId, nodeId: deps.nodeId, leaseMs, now: deps.clock.now() });
  if (!claimed) return notClaimed(deps, recordId);
  const stop = keepLease(deps.pool, {
    recordId,
    nodeId: deps.nodeId,
    leaseMs,
    now: () => deps.clock.now(),
    onError: (error) => logger.warn({ recordId, err: error }, 'lease renewal failed'),
  });
  try {
    return await new RecordRun(deps, claimed, logger).run();
  } catch (error) {
    if (error instanceof StaleTransitionError) {
      logger.warn({ recordId }, 'stopped: another worker holds this record, or it moved on');
      await releaseLease(deps.pool, recordId, deps.nodeId);
      return 'busy';
    }
    throw error;
  } finally {
    stop();
  }
}

/** The record is finished, or a live worker holds it: look again when that lease would end. */
async function notClaimed(deps: EngineDeps, recordId: string): Promise<RunOutcome> {
  const found = await leaseHolderOf(deps.pool, recordId);
  if (!found || isTerminal(found.status)) return 'skipped';
  const now = deps.clock.now().getTime();
  const retryAt = new Date(Math.max(found.lockedUntil?.getTime() ?? now, now) + 1000);
  await new WriteBatch().jobs([jobSpec('fulfill', { recordId }, { runAt: retryAt })]).execute(poolSql(deps.pool));
  return 'busy';
}

/** One step's run, as `decide` and the writes need it. */
interface StepRun {
  step: FulfillmentStepDefinition;
  position: number;
  attempt: number;
  idempotencyKey: string;
  calls: ProviderCall[];
  durationMs: number | null;
}

class RecordRun {
  private readonly adapter: AnyFulfillmentAdapter | undefined;
  private readonly facts: RecordFacts;
  private readonly journal: JournalEntry[];
  private status: FulfillmentStatus;
  private external: ExternalReferences;
  private config: unknown;
  private input: unknown;
  private description: RecordDescription = {};

  constructor(
    private readonly deps: EngineDeps,
    private readonly record: ClaimedRecord,
    private readonly logger: EngineLogger,
  ) {
    this.adapter = deps.registry.has(record.driver) ? deps.registry.get(record.driver) : undefined;
    this.facts = {
      recordId: record.id,
      orderId: record.orderId,
      orderCode: record.orderCode,
      customerEmail: record.customerEmail,
      userId: record.userId,
      driver: record.driver,
      subject: record.subject,
      item: describeItem(record.productName, record.subject),
    };
    this.journal = [...record.journal];
    this.status = record.status;
    this.external = {
      ...(record.externalReferenceId ? { externalReferenceId: record.externalReferenceId } : {}),
      ...(record.externalCustomerId ? { externalCustomerId: record.externalCustomerId } : {}),
      ...(record.externalWorkspaceUrl ? { externalWorkspaceUrl: record.externalWorkspaceUrl } : {}),
    };
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  async run(): Promise<RunOutcome> {
    if (this.status === 'cancelled') return this.cancel(null);
    if (this.record.previousHolder) {
      // Its worker died mid-run: the step it was in runs again under the same idempotency key.
      this.logger.warn(
        { recordId: this.record.id, previousHolder: this.record.previousHolder, step: this.record.currentStep },
        'resuming a record whose worker stopped',
      );
    }
    if (this.status === 'scheduled' && this.record.scheduledFor && this.record.scheduledFor > this.now()) {
      // Not due yet: let go, and come back on the date.
      const scheduledFor = this.record.scheduledFor;
      await this.write('scheduled', { changes: { lockedBy: null, lockedUntil: null } }, (extra) =>
        extra.jobs([jobSpec('fulfill', { recordId: this.record.id }, { runAt: scheduledFor })]),
      );
      return 'waiting';
    }
    if (!this.adapter) {
      return this.fail(`The "${this.record.driver}" driver is not available on this worker`, 'driver_missing', null);
    }
    const config = this.adapter.configSchema.safeParse(this.record.fulfillmentConfig);
    if (!config.success) {
      return this.fail(
        `The product's configuration is not valid: ${describeZodError(config.error)}`,
        'invalid_config',
        null,
      );
    }
    const input = this.adapter.inputSchema.safeParse(this.record.payloadSnapshot);
    if (!input.success) {
      return this.fail(`The order details are not valid: ${describeZodError(input.error)}`, 'invalid_input', null);
    }
    this.config = config.data;
    this.input = input.data;
    this.description = this.adapter.describe?.(input.data) ?? {};

    // A poll resumes its waiting step without passing through `processing` each time.
    const polling = this.status === 'awaiting_provider' && this.entry(this.record.currentStep)?.status === 'waiting';
    if (this.status !== 'processing' && !polling) {
      await this.write('processing', { reason: 'Being delivered' });
    }
    return this.runSteps(this.adapter);
  }

  private entry(step: string | null | undefined): JournalEntry | undefined {
    return step ? this.journal.find((entry) => entry.name === step) : undefined;
  }

  private async runSteps(adapter: AnyFulfillmentAdapter): Promise<RunOutcome> {
    const outputs: Outputs = {};
    for (const [position, step] of adapter.steps.entries()) {
      const entry = this.entry(step.name);
      if (entry?.status === 'done') {
        outputs[step.name] = entry.output ?? {};
        continue;
      }
      const sameStep = this.record.currentStep === step.name;
      const run: StepRun = {
        step,
        position,
        attempt: sameStep ? this.record.attempts + 1 : 1,
        idempotencyKey: stepIdempotencyKey(this.record.id, step.name, entry?.generation ?? 0),
        calls: [],
        durationMs: null,
      };
      const pollCount = sameStep ? this.record.pollCount : 0;

      let event: RecordEvent;
      const task = entry?.status === 'waiting' && sameStep ? this.record.task : null;
      if (task && task.status !== 'cancelled') {
        // A step handed to a person resumes with what they entered.
        event =
          task.status === 'done'
            ? { kind: 'done', output: task.resolution ?? {}, viaTask: true }
            : { kind: 'manual_open' };
      } else {
        event = await this.runStep(run, outputs, pollCount);
      }
      try {
        const decision = decide(this.state(run, pollCount), event, this.now());
        if (decision.kind === 'next' && event.kind === 'done') {
          outputs[step.name] = event.output;
          await this.stepDone(run, event, adapter.steps[position + 1]?.name ?? step.name);
          continue;
        }
        return await this.apply(decision, run, event, outputs);
      } catch (error) {
        return this.cancelledMeanwhile(error, run, event);
      }
    }
    return 'completed';
  }

  /**
   * A write found the record moved on. When an operator cancelled it while the step ran, this
   * run still holds it: undo its steps now, the one that just finished too, instead of leaving
   * that to the next run once the lease ends.
   */
  private async cancelledMeanwhile(error: unknown, run: StepRun, event: RecordEvent): Promise<RunOutcome> {
    if (!(error instanceof StaleTransitionError)) throw error;
    const found = await leaseHolderOf(this.deps.pool, this.record.id);
    if (found?.status !== 'cancelled' || found.lockedBy !== this.deps.nodeId) throw error;
    this.status = 'cancelled';
    const decision = decide(this.state(run, 0), event, this.now());
    if (decision.kind !== 'compensate') throw error;
    return this.cancel(decision.journal === 'done' && event.kind === 'done' ? { run, output: event.output } : null);
  }

  private state(run: StepRun, pollCount: number): RecordState {
    const adapter = this.adapter;
    return {
      status: this.status,
      step: run.step.name,
      stepIndex: run.position,
      stepCount: adapter?.steps.length ?? 0,
      attempt: run.attempt,
      pollCount,
      policy: this.record.retryPolicy ?? adapter?.retryPolicy ?? DEFAULT_RETRY_POLICY,
      completedStatus: adapter?.completedStatus ?? 'completed',
      notifyOnRetry: adapter?.notifyOnRetry ?? false,
    };
  }

  /** Runs the step's code, capturing its provider calls, and says what happened as an event. */
  private async runStep(run: StepRun, outputs: Outputs, pollCount: number): Promise<RecordEvent> {
    const started = performance.now();
    const result = await captureProviderCalls(() => run.step.run(this.context(run, outputs, pollCount)));
    run.calls = result.calls;
    run.durationMs = Math.round(performance.now() - started);
    if (!result.ok) return this.errorEvent(run, result.error);
    const outcome: StepResult = result.value;
    switch (outcome.kind) {
      case 'done':
        return { kind: 'done', output: outcome.output, external: outcome.external };
      case 'manual':
        return { kind: 'manual', task: outcome.task };
      case 'wait':
        return outcome.pollAt
          ? {
              kind: 'poll',
              status: outcome.status,
              reason: outcome.reason,
              pollAt: outcome.pollAt,
              maxPolls: outcome.maxPolls,
            }
          : { kind: 'await', status: outcome.status, reason: outcome.reason };
    }
  }

  private errorEvent(run: StepRun, error: unknown): RecordEvent {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentError;
    if (!(error instanceof TransientError) && !permanent) {
      this.logger.error(
        { recordId: this.record.id, step: run.step.name, err: error },
        'fulfillment step threw an unexpected error',
      );
    }
    return {
      kind: 'error',
      transient: !permanent,
      message,
      code: error instanceof TransientError || error instanceof PermanentError ? error.code : 'unexpected_error',
      retryAfterMs: error instanceof TransientError ? error.options.retryAfterMs : undefined,
    };
  }

  private context(run: Pick<StepRun, 'attempt' | 'idempotencyKey'>, outputs: Outputs, pollCount: number): StepContext {
    let em: EntityManager | undefined;
    const root = this.deps.em;
    return {
      record: this.stepRecord(),
      config: this.config,
      input: this.input,
      outputs,
      idempotencyKey: run.idempotencyKey,
      attempt: run.attempt,
      pollCount,
      get em() {
        em ??= root.fork();
        return em;
      },
      clock: this.deps.clock,
      services: this.deps.services,
    };
  }

  private stepRecord(): StepRecord {
    return {
      id: this.record.id,
      orderId: this.record.orderId,
      orderItemId: this.record.orderItemId,
      orderCode: this.record.orderCode,
      customerEmail: this.record.customerEmail,
      userId: this.record.userId,
      driver: this.record.driver,
      subject: this.record.subject,
      position: this.record.position,
      isTest: this.record.isTest,
      externalReferenceId: this.external.externalReferenceId ?? null,
      externalCustomerId: this.external.externalCustomerId ?? null,
      externalWorkspaceUrl: this.external.externalWorkspaceUrl ?? null,
    };
  }

  private logSubject(): LogSubject {
    return {
      recordId: this.record.id,
      orderId: this.record.orderId,
      driver: this.record.driver,
      subject: this.record.subject,
      network: this.description.network ?? null,
      phoneNumber: this.description.phoneNumber ?? null,
      maxAttempts: this.record.maxAttempts,
    };
  }

  // --- writing the outcome ----------------------------------------------------------------

  /** The record's next status (or the same), through the one writer, in one transaction. */
  private async write(
    to: FulfillmentStatus,
    options: { reason?: string | null; changes?: RecordChanges; events?: DomainEvent[] },
    rows?: (extra: WriteBatch) => void,
  ): Promise<void> {
    const extra = new WriteBatch();
    rows?.(extra);
    const write = (sql: Sql) =>
      writeTransition(sql, {
        record: this.facts,
        from: this.status,
        to,
        by: 'engine',
        actor: SYSTEM,
        reason: options.reason,
        changes: options.changes,
        leaseHolder: this.deps.nodeId,
        events: options.events,
        extra,
        now: this.now(),
        portalUrl: this.deps.portalUrl,
      });
    // A write that changes no status, with rows that can all be made conditional on it, is one
    // statement on its own; anything else needs a transaction.
    if (to === this.status && extra.canGuard) await write(poolSql(this.deps.pool));
    else await inTransaction(this.deps.pool, write);
    this.status = to;
    for (const key of ['externalReferenceId', 'externalCustomerId', 'externalWorkspaceUrl'] as const) {
      const value = options.changes?.[key];
      if (value !== undefined) this.external[key] = value;
    }
  }

  /** A step done with another to follow: journalled, and the record points at the next one. */
  private async stepDone(run: StepRun, event: Extract<RecordEvent, { kind: 'done' }>, next: string): Promise<void> {
    await this.write(
      'processing',
      {
        changes: { currentStep: next, attempts: 0, pollCount: 0, nextAttemptAt: null, ...event.external },
        events: [{ type: 'fulfillment.step_completed', record: this.facts, step: run.step.name }],
      },
      (extra) => this.journalDone(extra, run, event),
    );
    this.journal.push({ name: run.step.name, status: 'done', generation: 0, output: event.output });
  }

  private journalDone(extra: WriteBatch, run: StepRun, event: Extract<RecordEvent, { kind: 'done' }>): void {
    const now = this.now();
    journalStep(extra, {
      recordId: this.record.id,
      name: run.step.name,
      position: run.position,
      status: 'done',
      idempotencyKey: run.idempotencyKey,
      output: event.output,
      attempted: true,
      now,
    });
    logRows(
      extra,
      this.logSubject(),
      [
        {
          kind: 'attempt',
          step: run.step.name,
          status: 'success',
          attemptNumber: run.attempt,
          durationMs: run.durationMs,
          errorMessage: event.viaTask ? 'Completed by an operator' : null,
        },
      ],
      [{ step: run.step.name, attempt: run.attempt, list: run.calls }],
      now,
    );
  }

  private async apply(decision: Decision, run: StepRun, event: RecordEvent, outputs: Outputs): Promise<RunOutcome> {
    const now = this.now();
    switch (decision.kind) {
      case 'complete': {
        if (event.kind !== 'done') throw new Error('complete without a done step');
        outputs[run.step.name] = event.output;
        await this.write(
          decision.status,
          {
            reason: null,
            changes: {
              currentStep: run.step.name,
              attempts: 0,
              pollCount: 0,
              result: this.adapter?.result?.(outputs, this.input) ?? {},
              completedAt: now,
              lastError: null,
              lastErrorCode: null,
              nextAttemptAt: null,
              lockedBy: null,
              lockedUntil: null,
              ...event.external,
            },
            events: [{ type: 'fulfillment.step_completed', record: this.facts, step: run.step.name }],
          },
          (extra) => this.journalDone(extra, run, event),
        );
        return 'completed';
      }
      case 'wait': {
        await this.write(
          decision.status,
          {
            reason: decision.reason,
            changes: {
              currentStep: run.step.name,
              pollCount: decision.pollCount,
              nextAttemptAt: decision.pollAt,
              lockedBy: null,
              lockedUntil: null,
            },
          },
          (extra) => {
            journalStep(extra, {
              recordId: this.record.id,
              name: run.step.name,
              position: run.position,
              status: 'waiting',
              idempotencyKey: decision.task ? stepIdempotencyKey(this.record.id, run.step.name, 0) : run.idempotencyKey,
              attempted: false,
              now,
            });
            const entries = decision.task
              ? [
                  {
                    kind: 'attempt' as const,
                    step: run.step.name,
                    status: 'pending' as const,
                    errorMessage: `Manual task opened: ${decision.task.title}`,
                  },
                ]
              : event.kind === 'manual_open'
                ? []
                : [
                    {
                      kind: 'attempt' as const,
                      step: run.step.name,
                      status: 'pending' as const,
                      errorMessage: decision.reason,
                    },
                  ];
            logRows(
              extra,
              this.logSubject(),
              entries,
              [{ step: run.step.name, attempt: run.attempt, list: run.calls }],
              now,
            );
            if (decision.pollAt)
              extra.jobs([jobSpec('fulfill', { recordId: this.record.id }, { runAt: decision.pollAt })]);
            if (decision.task) this.openTask(extra, run.step.name, decision.task, now);
          },
        );
        return 'waiting';
      }
      case 'retry': {
        const message = event.kind === 'error' ? event.message : decision.reason;
        const code = event.kind === 'error' ? event.code : 'unexpected_error';
        await this.write(
          'processing',
          {
            reason: decision.reason,
            changes: {
              currentStep: run.step.name,
              attempts: decision.attempts,
              lastError: message,
              lastErrorCode: code,
              nextAttemptAt: decision.at,
              lockedBy: null,
              lockedUntil: null,
            },
            events: [
              { type: 'fulfillment.retrying', record: this.facts, at: decision.at, notifyCustomer: decision.notify },
            ],
          },
          (extra) => {
            journalStep(extra, {
              recordId: this.record.id,
              name: run.step.name,
              position: run.position,
              status: 'failed',
              idempotencyKey: run.idempotencyKey,
              error: message,
              attempted: true,
              now,
            });
            logRows(
              extra,
              this.logSubject(),
              [
                {
                  kind: 'attempt',
                  step: run.step.name,
                  status: 'failed',
                  attemptNumber: run.attempt,
                  errorMessage: message,
                  retryAfter: decision.at,
                },
              ],
              [{ step: run.step.name, attempt: run.attempt, list: run.calls }],
              now,
            );
            extra.jobs([jobSpec('fulfill', { recordId: this.record.id }, { runAt: decision.at })]);
          },
        );
        return 'retry_scheduled';
      }
      case 'fail':
        return this.fail(decision.reason, decision.code, run);
      case 'compensate':
        return this.cancel(event.kind === 'done' ? { run, output: event.output } : null);
      case 'rerun':
      case 'ignore':
      case 'next':
        return 'skipped';
    }
  }

  private openTask(extra: WriteBatch, step: string, spec: ManualTaskSpec, now: Date): void {
    const slaHours = spec.slaHours ?? null;
    extra.insert('manual_tasks', [
      {
        id: randomUUID(),
        record_id: this.record.id,
        step,
        queue: spec.queue ?? 'ops',
        title: spec.title,
        instructions: spec.instructions,
        status: 'open',
        sla_hours: slaHours,
        due_at: slaHours === null ? null : new Date(now.getTime() + slaHours * 3_600_000),
        created_at: now,
        updated_at: now,
      },
    ]);
  }

  /** What the undo did; when it did not finish, what the record holds is quarantined and the undo retried later. */
  private journalCompensation(
    extra: WriteBatch,
    compensation: CompensationResult[],
    now: Date,
    failedAttempt?: { step: string; error: string },
  ): void {
    journalCompensation(extra, this.logSubject(), compensation, now, failedAttempt);
    if (compensationUnfinished(compensation)) {
      const delays = this.deps.compensationRetryDelaysMs ?? COMPENSATION_RETRY_DELAYS_MS;
      holdUnfinishedCompensation(extra, { ...this.logSubject(), orderCode: this.record.orderCode }, compensation, {
        attempts: 1,
        delayMs: delays[0] ?? null,
        now,
      });
    }
  }

  /** After the last attempt, or a permanent error: undo what was done, then fail; listeners tell ops and the customer. */
  private async fail(reason: string, code: string, run: StepRun | null): Promise<RunOutcome> {
    // The attempt that failed the record may have made something at the provider (an answer lost).
    const journal = run ? withFailedAttempt(this.journal, run.step.name) : this.journal;
    const compensation = await compensateDoneSteps(this.adapter, journal, (step, generation) =>
      this.context({ attempt: 1, idempotencyKey: stepIdempotencyKey(this.record.id, step, generation) }, {}, 0),
    );
    const now = this.now();
    await this.write(
      'failed',
      {
        reason: 'We could not complete this; our team has been alerted',
        changes: {
          lastError: reason,
          lastErrorCode: code,
          failedAt: now,
          nextAttemptAt: null,
          lockedBy: null,
          lockedUntil: null,
        },
        events: [{ type: 'fulfillment.failed', record: this.facts, reason, code }],
      },
      (extra) => {
        // A failed attempt that was undone is journaled once, as compensated, by the undo below.
        const attemptUndone = run !== null && undid(compensation, run.step.name);
        if (run && !attemptUndone) {
          journalStep(extra, {
            recordId: this.record.id,
            name: run.step.name,
            position: run.position,
            status: 'failed',
            idempotencyKey: run.idempotencyKey,
            error: reason,
            attempted: true,
            now,
          });
        }
        logRows(
          extra,
          this.logSubject(),
          [
            {
              kind: 'attempt',
              step: run?.step.name ?? null,
              status: 'failed',
              attemptNumber: run?.attempt ?? 1,
              errorMessage: reason,
            },
          ],
          run ? [{ step: run.step.name, attempt: run.attempt, list: run.calls }] : [],
          now,
        );
        this.journalCompensation(
          extra,
          compensation,
          now,
          run && attemptUndone ? { step: run.step.name, error: reason } : undefined,
        );
      },
    );
    return 'failed';
  }

  /**
   * The record was cancelled: undo its done steps (and one that finished as it was cancelled),
   * journal that, and let go of it. It stays cancelled.
   */
  private async cancel(finished: { run: StepRun; output: Record<string, unknown> } | null): Promise<RunOutcome> {
    const journal = finished
      ? [
          ...this.journal,
          { name: finished.run.step.name, status: 'done' as const, generation: 0, output: finished.output },
        ]
      : this.journal;
    const compensation = await compensateDoneSteps(this.adapter, journal, (step, generation) =>
      this.context({ attempt: 1, idempotencyKey: stepIdempotencyKey(this.record.id, step, generation) }, {}, 0),
    );
    const now = this.now();
    await this.write('cancelled', { changes: { lockedBy: null, lockedUntil: null, nextAttemptAt: null } }, (extra) => {
      if (finished) {
        logRows(
          extra,
          this.logSubject(),
          [],
          [{ step: finished.run.step.name, attempt: finished.run.attempt, list: finished.run.calls }],
          now,
        );
      }
      this.journalCompensation(extra, compensation, now);
    });
    return 'cancelled';
  }
}
