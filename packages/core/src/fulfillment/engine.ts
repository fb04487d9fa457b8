import type { FulfillmentStatus } from '@handover/contracts';
import { FulfillmentLog, FulfillmentRecord, FulfillmentStep, ManualTask, type Order, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type Actor, recordActivity, SYSTEM } from '../activity/activity';
import { raiseAlert } from '../alerts/alerts';
import type { Clock } from '../clock';
import { PermanentError, TransientError } from '../errors';
import { notifyInApp, queueMessage } from '../notifications/outbox';
import { fulfillmentFailedMessage, orderCompletedMessage, retryingMessage } from '../notifications/templates';
import { captureProviderCalls, type ProviderCall } from '../providers/providerCalls';
import type {
  AnyFulfillmentAdapter,
  DriverServices,
  ExternalReferences,
  FulfillmentStepDefinition,
  ManualTaskSpec,
  StepContext,
  StepRecord,
  StepResult,
} from './adapter';
import { enqueueFulfillment } from './jobs';
import { stepIdempotencyKey } from './journal';
import { lockOrder, type OrderStatusChange, refreshOrderFulfillmentStatus } from './orderStatus';
import { type DriverRegistry, describeZodError } from './registry';
import { DEFAULT_RETRY_POLICY, nextAttemptAt } from './retryPolicy';
import { isTerminal, RUNNABLE_STATUSES } from './statuses';
import { stepRecordOf } from './stepRecord';

export interface EngineLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export interface EngineDeps {
  /** Root entity manager; each run works on a fork of it. */
  em: EntityManager;
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
}

export type RunOutcome = 'completed' | 'waiting' | 'retry_scheduled' | 'failed' | 'cancelled' | 'busy' | 'skipped';

class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
}

const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };

/**
 * Runs one fulfillment record as far as it can go: resumes after the last step journalled
 * done, runs the rest with the product's retry policy, and stops at the first wait, manual
 * task, scheduled retry, completion or failure. Every transition commits the record, its
 * logs, activity, alerts, messages and next job together.
 */
export async function runFulfillment(deps: EngineDeps, recordId: string): Promise<RunOutcome> {
  const run = new RecordRun(deps, recordId);
  try {
    return await run.execute();
  } catch (error) {
    if (error instanceof LeaseLostError) {
      run.logger.warn({ recordId }, 'stopped: another worker holds this record, or an operator cancelled it');
      return 'busy';
    }
    throw error;
  } finally {
    run.stopHeartbeat();
  }
}

type Outputs = Record<string, Record<string, unknown>>;

/** A step the provider (or a person, through a manual task) finished, to be journalled done. */
interface DoneStep {
  step: FulfillmentStepDefinition;
  position: number;
  idempotencyKey: string;
  output: Record<string, unknown>;
  calls: ProviderCall[];
  attempt: number;
  viaTask: boolean;
  durationMs?: number;
  external?: ExternalReferences;
}

class RecordRun {
  readonly logger: EngineLogger;
  private readonly em: EntityManager;
  private readonly leaseMs: number;
  private heartbeat: NodeJS.Timeout | null = null;
  private record!: FulfillmentRecord;
  private order!: Order;
  private product!: Product;
  private adapter!: AnyFulfillmentAdapter;
  private journal = new Map<string, FulfillmentStep>();
  /** The record's status as this run last committed it (the loaded entity is never modified). */
  private status!: FulfillmentStatus;
  private input: unknown;
  /** References to the provider's objects that steps of this run named; on the record once committed. */
  private external: ExternalReferences = {};
  /** The lease just moved the record from queued to processing: the order's status is refreshed at the next commit. */
  private startedNow = false;

  constructor(
    private readonly deps: EngineDeps,
    private readonly recordId: string,
  ) {
    this.em = deps.em.fork();
    this.leaseMs = deps.leaseMs ?? 60_000;
    this.logger = deps.logger ?? silentLogger;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  async execute(): Promise<RunOutcome> {
    if (!(await this.acquireLease())) return this.explainNoLease();
    this.startHeartbeat();
    await this.load();

    if (this.deps.registry.has(this.record.driver)) this.adapter = this.deps.registry.get(this.record.driver);
    if (this.status === 'cancelled') return this.finishCancellation();
    if (this.status === 'scheduled' && this.record.scheduledFor && this.record.scheduledFor > this.now()) {
      await this.commit({ lockedBy: null, lockedUntil: null }, async () => {
        await enqueueFulfillment(this.em, this.record.id, this.record.scheduledFor ?? undefined);
      });
      return 'waiting';
    }

    if (!this.adapter) {
      return this.fail(`The "${this.record.driver}" driver is not available on this worker`, 'driver_missing', []);
    }
    const config = this.adapter.configSchema.safeParse(this.product.fulfillmentConfig);
    if (!config.success) {
      return this.fail(
        `The product's configuration is not valid: ${describeZodError(config.error)}`,
        'invalid_config',
        [],
      );
    }
    const input = this.adapter.inputSchema.safeParse(this.record.payloadSnapshot);
    if (!input.success) {
      return this.fail(`The order details are not valid: ${describeZodError(input.error)}`, 'invalid_input', []);
    }

    this.input = input.data;

    // A poll resumes a waiting step without passing through `processing` each time.
    const polling =
      this.status === 'awaiting_provider' && this.journal.get(this.record.currentStep ?? '')?.status === 'waiting';
    if (this.status !== 'processing' && !polling) {
      await this.transition('processing', 'Being delivered', {});
    }
    return this.runSteps(config.data, input.data);
  }

  // --- leases -------------------------------------------------------------------------

  /**
   * Takes the lease. A queued record becomes `processing` in the same statement, with its
   * activity and log rows (one round trip instead of a transaction of its own); the order's
   * derived status follows at this run's next commit.
   */
  private async acquireLease(): Promise<boolean> {
    const now = this.now();
    const runnable = [...RUNNABLE_STATUSES, 'cancelled'];
    const rows = await this.em.execute<{ previous: FulfillmentStatus }[]>(
      `with previous as (
         select id, status, order_id, driver, subject from fulfillment_records where id = ? for update
       ), leased as (
         update fulfillment_records r
            set locked_by = ?, locked_until = ?,
                status = case when r.status = 'queued' then 'processing' else r.status end,
                status_reason = case when r.status = 'queued' then 'Being delivered' else r.status_reason end,
                started_at = coalesce(r.started_at, ?), updated_at = ?
           from previous p
          where r.id = p.id and p.status in (${runnable.map(() => '?').join(', ')})
            and (r.locked_by is null or r.locked_until < ? or r.locked_by = ?)
         returning p.status as previous, p.order_id, p.driver, p.subject
       ), activity as (
         insert into activity_logs (action, description, subject_type, subject_id, actor_type, properties, created_at)
         select 'fulfillment.processing', 'Being delivered', 'fulfillment_record', ?, 'system',
                jsonb_build_object('from', 'queued', 'to', 'processing', 'orderId', order_id, 'driver', driver), ?
           from leased where previous = 'queued'
       ), logged as (
         insert into fulfillment_logs (record_id, order_id, driver, subject, kind, status, attempt_number, error_message, created_at)
         select ?, order_id, driver, subject, 'transition', 'processing', 1, 'queued → processing', ?
           from leased where previous = 'queued'
       )
       select previous from leased`,
      [
        this.recordId,
        this.deps.nodeId,
        new Date(now.getTime() + this.leaseMs),
        now,
        now,
        ...runnable,
        now,
        this.deps.nodeId,
        this.recordId,
        now,
        this.recordId,
        now,
      ],
    );
    this.startedNow = rows[0]?.previous === 'queued';
    return rows.length === 1;
  }

  private async explainNoLease(): Promise<RunOutcome> {
    const [row] = await this.em.execute<{ status: FulfillmentStatus; locked_until: Date | null }[]>(
      'select status, locked_until from fulfillment_records where id = ?',
      [this.recordId],
    );
    if (!row || isTerminal(row.status)) return 'skipped';
    // Another worker holds it: look again when its lease would run out.
    const retryAt = new Date(Math.max(new Date(row.locked_until ?? this.now()).getTime(), this.now().getTime()) + 1000);
    await this.em.transactional((tem) => enqueueFulfillment(tem, this.recordId, retryAt));
    return 'busy';
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(
      () => {
        this.em
          .fork()
          .execute('update fulfillment_records set locked_until = ? where id = ? and locked_by = ?', [
            new Date(this.now().getTime() + this.leaseMs),
            this.recordId,
            this.deps.nodeId,
          ])
          .catch((error) => this.logger.warn({ recordId: this.recordId, err: error }, 'lease renewal failed'));
      },
      Math.max(100, Math.floor(this.leaseMs / 3)),
    );
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  // --- loading --------------------------------------------------------------------------

  private async load(): Promise<void> {
    this.record = await this.em.findOneOrFail(
      FulfillmentRecord,
      { id: this.recordId },
      { populate: ['order', 'product'] },
    );
    this.order = this.record.order as Order;
    this.product = this.record.product as Product;
    const steps = await this.em.find(FulfillmentStep, { record: this.recordId });
    this.journal = new Map(steps.map((s) => [s.name, s]));
    this.status = this.record.status;
  }

  private stepRecord(): StepRecord {
    return { ...stepRecordOf(this.record, this.order), ...this.external };
  }

  private describeItem(): string {
    return this.record.subject ? `${this.product.name} (${this.record.subject})` : this.product.name;
  }

  // --- the steps ------------------------------------------------------------------------

  private async runSteps(config: unknown, input: unknown): Promise<RunOutcome> {
    const outputs: Outputs = {};
    const steps = this.adapter.steps;
    for (const [position, step] of steps.entries()) {
      const entry = this.journal.get(step.name);
      if (entry?.status === 'done') {
        outputs[step.name] = entry.output ?? {};
        continue;
      }
      const sameStep = this.record.currentStep === step.name;
      const attempt = sameStep ? this.record.attempts + 1 : 1;
      const pollCount = sameStep ? this.record.pollCount : 0;
      const ctx = this.context(config, input, outputs, step, attempt, pollCount);

      // A step handed to a person resumes with what they entered.
      const task =
        entry?.status === 'waiting'
          ? await this.em.findOne(
              ManualTask,
              { record: this.recordId, step: step.name },
              { orderBy: { createdAt: 'desc' } },
            )
          : null;
      if (task && task.status !== 'cancelled') {
        if (task.status !== 'done') return this.awaitManual(step, position, task.title, null);
        outputs[step.name] = task.resolution ?? {};
        const done: DoneStep = {
          step,
          position,
          idempotencyKey: ctx.idempotencyKey,
          output: outputs[step.name] ?? {},
          calls: [],
          attempt,
          viaTask: true,
        };
        // The last step is journalled in the transaction that completes the record.
        if (position === steps.length - 1) return this.complete(outputs, input, done);
        await this.markStepDone(done);
        continue;
      }

      const started = performance.now();
      const result = await captureProviderCalls(() => step.run(ctx));
      const durationMs = Math.round(performance.now() - started);
      if (!result.ok) return this.handleStepError(step, position, result.error, result.calls, attempt, ctx);

      const outcome: StepResult = result.value;
      if (outcome.kind === 'done') {
        outputs[step.name] = outcome.output;
        const done: DoneStep = {
          step,
          position,
          idempotencyKey: ctx.idempotencyKey,
          output: outcome.output,
          calls: result.calls,
          attempt,
          viaTask: false,
          durationMs,
          external: outcome.external,
        };
        if (position === steps.length - 1) return this.complete(outputs, input, done);
        await this.markStepDone(done);
        continue;
      }
      if (outcome.kind === 'manual')
        return this.awaitManual(step, position, outcome.task.title, outcome.task, result.calls);
      if (outcome.pollAt && outcome.maxPolls !== undefined && pollCount >= outcome.maxPolls) {
        const message = `${step.name}: the provider had not finished after ${outcome.maxPolls} checks (${outcome.reason})`;
        return this.handleStepError(
          step,
          position,
          new PermanentError(message, 'poll_limit'),
          result.calls,
          attempt,
          ctx,
        );
      }
      return this.awaitStep(step, position, ctx.idempotencyKey, outcome, result.calls, pollCount);
    }
    return this.complete(outputs, input);
  }

  private context(
    config: unknown,
    input: unknown,
    outputs: Outputs,
    step: FulfillmentStepDefinition,
    attempt: number,
    pollCount: number,
  ): StepContext {
    const generation = this.journal.get(step.name)?.generation ?? 0;
    return {
      record: this.stepRecord(),
      config,
      input,
      outputs,
      idempotencyKey: stepIdempotencyKey(this.record.id, step.name, generation),
      attempt,
      pollCount,
      em: this.em.fork(),
      clock: this.deps.clock,
      services: this.deps.services,
    };
  }

  private journalEntry(step: FulfillmentStepDefinition, position: number, idempotencyKey: string): FulfillmentStep {
    let entry = this.journal.get(step.name);
    if (!entry) {
      entry = this.em.create(FulfillmentStep, {
        record: this.record,
        name: step.name,
        position,
        status: 'running',
        idempotencyKey,
        attempts: 0,
        generation: 0,
        startedAt: this.now(),
      });
      this.journal.set(step.name, entry);
    }
    entry.idempotencyKey = idempotencyKey;
    return entry;
  }

  /** Journals a finished step (not the last: see complete) and points the record at the next one. */
  private async markStepDone(done: DoneStep): Promise<void> {
    await this.commit(
      {
        currentStep: this.adapter.steps[done.position + 1]?.name ?? done.step.name,
        attempts: 0,
        pollCount: 0,
        nextAttemptAt: null,
        ...done.external,
      },
      async () => this.journalDone(done),
    );
  }

  /** The journal entry and logs of a finished step, inside the caller's commit. */
  private journalDone(done: DoneStep): void {
    const entry = this.journalEntry(done.step, done.position, done.idempotencyKey);
    Object.assign(entry, {
      status: 'done',
      output: done.output,
      error: null,
      finishedAt: this.now(),
      attempts: entry.attempts + 1,
    });
    this.logCalls(done.step.name, done.attempt, done.calls);
    this.log({
      kind: 'attempt',
      step: done.step.name,
      status: 'success',
      attemptNumber: done.attempt,
      durationMs: done.durationMs ?? null,
      errorMessage: done.viaTask ? 'Completed by an operator' : null,
    });
  }

  private async awaitStep(
    step: FulfillmentStepDefinition,
    position: number,
    idempotencyKey: string,
    outcome: Extract<StepResult, { kind: 'wait' }>,
    calls: ProviderCall[],
    pollCount: number,
  ): Promise<RunOutcome> {
    const polled = outcome.pollAt !== undefined;
    await this.commit(
      {
        status: outcome.status,
        statusReason: outcome.reason,
        currentStep: step.name,
        pollCount: polled ? pollCount + 1 : pollCount,
        nextAttemptAt: outcome.pollAt ?? null,
        lockedBy: null,
        lockedUntil: null,
      },
      async () => {
        const entry = this.journalEntry(step, position, idempotencyKey);
        entry.status = 'waiting';
        this.logCalls(step.name, this.record.attempts + 1, calls);
        this.log({ kind: 'attempt', step: step.name, status: 'pending', errorMessage: outcome.reason });
        if (outcome.pollAt) await enqueueFulfillment(this.em, this.record.id, outcome.pollAt);
      },
      { action: `fulfillment.${outcome.status}`, description: outcome.reason },
    );
    return 'waiting';
  }

  private async awaitManual(
    step: FulfillmentStepDefinition,
    position: number,
    title: string,
    spec: ManualTaskSpec | null,
    calls: ProviderCall[] = [],
  ): Promise<RunOutcome> {
    const now = this.now();
    const reason = 'Our team is completing this by hand';
    await this.commit(
      {
        status: 'manual_pending',
        statusReason: reason,
        currentStep: step.name,
        lockedBy: null,
        lockedUntil: null,
      },
      async () => {
        const entry = this.journalEntry(step, position, stepIdempotencyKey(this.record.id, step.name, 0));
        entry.status = 'waiting';
        this.logCalls(step.name, 1, calls);
        if (spec) {
          const slaHours = spec.slaHours ?? null;
          this.em.create(ManualTask, {
            record: this.record,
            step: step.name,
            queue: spec.queue ?? 'ops',
            title: spec.title,
            instructions: spec.instructions,
            slaHours,
            dueAt: slaHours === null ? null : new Date(now.getTime() + slaHours * 3_600_000),
          });
          this.log({
            kind: 'attempt',
            step: step.name,
            status: 'pending',
            errorMessage: `Manual task opened: ${title}`,
          });
        }
      },
      { action: 'fulfillment.manual_pending', description: title },
    );
    return 'waiting';
  }

  // --- errors, retries and failure --------------------------------------------------------

  private async handleStepError(
    step: FulfillmentStepDefinition,
    position: number,
    error: unknown,
    calls: ProviderCall[],
    attempt: number,
    ctx: StepContext,
  ): Promise<RunOutcome> {
    const message = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof PermanentError;
    const code = error instanceof TransientError || error instanceof PermanentError ? error.code : 'unexpected_error';
    if (!(error instanceof TransientError) && !permanent) {
      this.logger.error(
        { recordId: this.recordId, step: step.name, err: error },
        'fulfillment step threw an unexpected error',
      );
    }
    const policy = this.product.retryPolicy ?? this.adapter.retryPolicy ?? DEFAULT_RETRY_POLICY;
    const retryAt = permanent
      ? null
      : nextAttemptAt(
          policy,
          attempt,
          this.now(),
          error instanceof TransientError ? error.options.retryAfterMs : undefined,
        );

    if (!retryAt) {
      const reason = permanent || policy.maxAttempts <= 1 ? message : `${message} (after ${attempt} attempts)`;
      return this.fail(reason, code, calls, { step, position, attempt, idempotencyKey: ctx.idempotencyKey });
    }

    await this.commit(
      {
        status: 'processing',
        statusReason: `Attempt ${attempt} did not work; trying again shortly`,
        currentStep: step.name,
        attempts: attempt,
        lastError: message,
        lastErrorCode: code,
        nextAttemptAt: retryAt,
        lockedBy: null,
        lockedUntil: null,
      },
      async () => {
        const entry = this.journalEntry(step, position, ctx.idempotencyKey);
        Object.assign(entry, { status: 'failed', error: message, attempts: entry.attempts + 1 });
        this.logCalls(step.name, attempt, calls);
        this.log({
          kind: 'attempt',
          step: step.name,
          status: 'failed',
          attemptNumber: attempt,
          errorMessage: message,
          retryAfter: retryAt,
        });
        if (this.adapter.notifyOnRetry) {
          notifyInApp(this.em, {
            userId: this.order.user.id,
            type: 'fulfillment_retrying',
            ...retryingMessage({ orderCode: this.order.orderCode, item: this.describeItem(), at: retryAt }),
            data: { orderId: this.order.id, orderCode: this.order.orderCode, recordId: this.record.id },
          });
        }
        await enqueueFulfillment(this.em, this.record.id, retryAt);
      },
    );
    return 'retry_scheduled';
  }

  /** After the last attempt (or a permanent error): undo what was done, then tell ops and the customer. */
  private async fail(
    reason: string,
    code: string,
    calls: ProviderCall[],
    failedStep?: { step: FulfillmentStepDefinition; position: number; attempt: number; idempotencyKey: string },
  ): Promise<RunOutcome> {
    const compensation = await this.compensateDoneSteps();
    const now = this.now();
    await this.commit(
      {
        status: 'failed',
        statusReason: 'We could not complete this; our team has been alerted',
        lastError: reason,
        lastErrorCode: code,
        failedAt: now,
        nextAttemptAt: null,
        lockedBy: null,
        lockedUntil: null,
      },
      async () => {
        if (failedStep) {
          const entry = this.journalEntry(failedStep.step, failedStep.position, failedStep.idempotencyKey);
          Object.assign(entry, { status: 'failed', error: reason, attempts: entry.attempts + 1 });
          this.logCalls(failedStep.step.name, failedStep.attempt, calls);
        }
        this.log({
          kind: 'attempt',
          step: failedStep?.step.name ?? null,
          status: 'failed',
          attemptNumber: failedStep?.attempt ?? 1,
          errorMessage: reason,
        });
        this.writeCompensation(compensation);
        await raiseAlert(this.em, {
          type: 'fulfillment_failure',
          severity: 'critical',
          message: `Order ${this.order.orderCode} failed: ${this.describeItem()}: ${reason}`,
          subjectType: 'fulfillment_record',
          subjectId: this.record.id,
          data: { orderId: this.order.id, driver: this.record.driver, code },
        });
        if (compensation.some((c) => c.error)) {
          await raiseAlert(this.em, {
            type: 'rollback_failure',
            severity: 'critical',
            message: `Order ${this.order.orderCode}: undoing ${compensation
              .filter((c) => c.error)
              .map((c) => c.step)
              .join(', ')} failed; check the provider by hand.`,
            subjectType: 'fulfillment_record',
            subjectId: this.record.id,
          });
        }
        const text = fulfillmentFailedMessage({
          orderCode: this.order.orderCode,
          item: this.describeItem(),
          reason,
          portalUrl: this.deps.portalUrl,
        });
        await queueMessage(this.em, {
          channel: 'email',
          recipient: this.order.email,
          template: 'fulfillment_failed',
          ...text,
          data: { orderId: this.order.id, orderCode: this.order.orderCode, recordId: this.record.id },
        });
        notifyInApp(this.em, {
          userId: this.order.user.id,
          type: 'order_status_change',
          title: text.subject,
          message: `${reason}. Our team has been alerted.`,
          data: { orderId: this.order.id, orderCode: this.order.orderCode, recordId: this.record.id },
        });
      },
      { action: 'fulfillment.failed', description: reason },
    );
    return 'failed';
  }

  private async finishCancellation(): Promise<RunOutcome> {
    const compensation = await this.compensateDoneSteps();
    await this.commit({ lockedBy: null, lockedUntil: null, nextAttemptAt: null }, async () => {
      this.writeCompensation(compensation);
    });
    return 'cancelled';
  }

  private async compensateDoneSteps(): Promise<{ step: string; calls: ProviderCall[]; error: string | null }[]> {
    const done = this.adapter
      ? this.adapter.steps
          .map((step, position) => ({ step, position, entry: this.journal.get(step.name) }))
          .filter(({ entry }) => entry?.status === 'done')
          .reverse()
      : [];
    const results: { step: string; calls: ProviderCall[]; error: string | null }[] = [];
    const config = this.adapter?.configSchema.safeParse(this.product.fulfillmentConfig);
    const input = this.adapter?.inputSchema.safeParse(this.record.payloadSnapshot);
    for (const { step, entry } of done) {
      if (!step.compensate || !entry) {
        results.push({ step: step.name, calls: [], error: null });
        continue;
      }
      const ctx = {
        ...this.context(config?.data, input?.data, {}, step, 1, 0),
        output: entry.output ?? {},
      };
      const result = await captureProviderCalls(() => step.compensate?.(ctx) ?? Promise.resolve());
      results.push({
        step: step.name,
        calls: result.calls,
        error: result.ok ? null : result.error instanceof Error ? result.error.message : String(result.error),
      });
    }
    return results;
  }

  /** Journals the compensation: each undone step gets a new generation, so a later retry really redoes it. */
  private writeCompensation(results: { step: string; calls: ProviderCall[]; error: string | null }[]): void {
    const now = this.now();
    for (const result of results) {
      const entry = this.journal.get(result.step);
      if (entry && !result.error) {
        Object.assign(entry, {
          status: 'compensated',
          compensatedAt: now,
          generation: entry.generation + 1,
        });
      }
      this.logCalls(result.step, 1, result.calls, 'compensation');
      this.log({
        kind: 'compensation',
        step: result.step,
        status: result.error ? 'failed' : 'success',
        errorMessage: result.error,
      });
    }
  }

  // --- completion -------------------------------------------------------------------------

  /**
   * Completes the record. `lastStep`, when the last step finished in this run, is journalled in
   * the same transaction: a crash before it commits leaves the step to run again under the same
   * idempotency key, as any step not yet journalled done.
   */
  private async complete(outputs: Outputs, input: unknown, lastStep?: DoneStep): Promise<RunOutcome> {
    const status = this.adapter.completedStatus ?? 'completed';
    const now = this.now();
    await this.commit(
      {
        ...(lastStep ? { currentStep: lastStep.step.name, attempts: 0, pollCount: 0, ...lastStep.external } : {}),
        status,
        statusReason: null,
        result: this.adapter.result?.(outputs, input) ?? {},
        completedAt: now,
        lastError: null,
        lastErrorCode: null,
        nextAttemptAt: null,
        lockedBy: null,
        lockedUntil: null,
      },
      async () => {
        if (lastStep) this.journalDone(lastStep);
        this.log({ kind: 'transition', step: null, status: 'success', fulfilledAt: now });
      },
      { action: `fulfillment.${status}`, description: 'Every step is done' },
    );
    return 'completed';
  }

  private async transition(
    status: FulfillmentStatus,
    reason: string,
    changes: Partial<FulfillmentRecord>,
  ): Promise<void> {
    await this.commit(
      { status, statusReason: reason, startedAt: this.record.startedAt ?? this.now(), ...changes },
      async () => {},
      {
        action: `fulfillment.${status}`,
        description: reason,
      },
    );
  }

  // --- writing ----------------------------------------------------------------------------

  /**
   * One transaction: lock the order, update the record (only while this worker holds the
   * lease), write what `work` adds, record the status change and refresh the order's status.
   */
  private async commit(
    changes: Partial<FulfillmentRecord>,
    work: () => Promise<void>,
    activity: { action: string; description: string } | null = null,
    actor: Actor = SYSTEM,
  ): Promise<void> {
    const now = this.now();
    const statusChanged = changes.status !== undefined && changes.status !== this.status;
    const refreshOrder = statusChanged || this.startedNow;
    await this.em.begin();
    try {
      if (refreshOrder) await lockOrder(this.em, this.order.id);
      // Only while this worker holds the lease, and never over an operator's cancellation.
      const updated = await this.em.nativeUpdate(
        FulfillmentRecord,
        {
          id: this.recordId,
          lockedBy: this.deps.nodeId,
          ...(this.status === 'cancelled' ? {} : { status: { $ne: 'cancelled' as const } }),
        },
        { ...changes, updatedAt: now },
      );
      if (updated !== 1) throw new LeaseLostError(`Lease on ${this.recordId} lost, or the record was cancelled`);
      await work();
      if (statusChanged && activity) {
        recordActivity(this.em, {
          action: activity.action,
          subjectType: 'fulfillment_record',
          subjectId: this.recordId,
          actor,
          description: activity.description,
          properties: { from: this.status, to: changes.status, orderId: this.order.id, driver: this.record.driver },
        });
        this.log({
          kind: 'transition',
          step: null,
          status: 'processing',
          errorMessage: `${this.status} → ${changes.status}`,
        });
      }
      if (refreshOrder) {
        const change = await refreshOrderFulfillmentStatus(this.em, this.order.id, now);
        await this.announceOrderChange(change);
      }
      await this.em.commit();
    } catch (error) {
      await this.em.rollback();
      throw error;
    }
    if (changes.status) this.status = changes.status;
    for (const key of ['externalReferenceId', 'externalCustomerId', 'externalWorkspaceUrl'] as const) {
      if (changes[key] !== undefined) this.external[key] = changes[key] ?? undefined;
    }
    this.startedNow = false;
  }

  private async announceOrderChange(change: OrderStatusChange): Promise<void> {
    if (change.previous === change.current) return;
    recordActivity(this.em, {
      action: 'order.fulfillment_status_changed',
      subjectType: 'order',
      subjectId: this.order.id,
      actor: SYSTEM,
      properties: { from: change.previous, to: change.current },
    });
    if (change.current !== 'completed' && change.current !== 'active') return;
    const text = orderCompletedMessage({
      orderCode: this.order.orderCode,
      active: change.current === 'active',
      portalUrl: this.deps.portalUrl,
    });
    notifyInApp(this.em, {
      userId: this.order.user.id,
      type: 'order_status_change',
      title: text.subject,
      message: text.body.split('\n\n')[0] ?? text.subject,
      data: { orderId: this.order.id, orderCode: this.order.orderCode },
    });
    await queueMessage(this.em, {
      channel: 'email',
      recipient: this.order.email,
      template: change.current === 'active' ? 'order_active' : 'order_completed',
      ...text,
      data: { orderId: this.order.id, orderCode: this.order.orderCode },
    });
  }

  private log(entry: Partial<FulfillmentLog> & Pick<FulfillmentLog, 'kind' | 'status'>): void {
    const description = this.input !== undefined ? (this.adapter?.describe?.(this.input) ?? {}) : {};
    this.em.create(FulfillmentLog, {
      record: this.record,
      order: this.order,
      driver: this.record.driver,
      network: description.network ?? null,
      phoneNumber: description.phoneNumber ?? null,
      subject: this.record.subject ?? null,
      maxAttempts: this.record.maxAttempts,
      ...entry,
    });
  }

  private logCalls(
    step: string,
    attempt: number,
    calls: ProviderCall[],
    kind: 'provider_call' | 'compensation' = 'provider_call',
  ): void {
    for (const call of calls) {
      this.log({
        kind,
        step,
        status: call.error ? 'failed' : 'success',
        attemptNumber: attempt,
        method: call.method,
        url: call.url,
        request: call.request,
        apiResponse: call.response,
        httpStatus: call.httpStatus,
        durationMs: call.durationMs,
        errorMessage: call.error,
      });
    }
  }
}
