import { FulfillmentRecord, FulfillmentStep, type Order, type Product } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Clock } from '../clock';
import type { WriteBatch } from '../database/writeBatch';
import { PermanentError } from '../errors';
import { captureProviderCalls, type ProviderCall } from '../providers/providerCalls';
import type { AnyFulfillmentAdapter, DriverServices, StepContext } from './adapter';
import { type LogEntry, logRows, stepIdempotencyKey } from './journal';
import { type DriverRegistry, describeZodError } from './registry';
import { stepRecordOf } from './stepRecord';

/** What a driver's calls on a delivered record (suspend, cancel, syncStatus) run with. */
export interface LifecycleDeps {
  em: EntityManager;
  registry: DriverRegistry;
  clock: Clock;
  services: DriverServices;
}

/** A record with its order, product and driver, loaded for a lifecycle call. */
export interface LoadedRecord {
  em: EntityManager;
  record: FulfillmentRecord;
  order: Order;
  product: Product;
  adapter: AnyFulfillmentAdapter;
}

/** Loads a record for a lifecycle call; null when it or its driver is gone from this process. */
export async function loadRecordForLifecycle(deps: LifecycleDeps, recordId: string): Promise<LoadedRecord | null> {
  const em = deps.em.fork();
  const record = await em.findOne(FulfillmentRecord, { id: recordId }, { populate: ['order', 'product'] });
  if (!record || !deps.registry.has(record.driver)) return null;
  return {
    em,
    record,
    order: record.order as Order,
    product: record.product as Product,
    adapter: deps.registry.get(record.driver),
  };
}

export type LifecycleOutcome<T> = { calls: ProviderCall[] } & ({ ok: true; value: T } | { ok: false; error: unknown });

/**
 * Calls one of the driver's lifecycle hooks for `loaded` (named `name`, which also makes its
 * idempotency key), with the record's done steps' outputs, capturing every provider call. A
 * product config or order input that no longer parses fails it, permanently, without a call.
 */
export async function callLifecycle<T>(
  deps: LifecycleDeps,
  loaded: LoadedRecord,
  name: string,
  attempt: number,
  hook: (ctx: StepContext) => Promise<T>,
): Promise<LifecycleOutcome<T>> {
  const contextFor = await lifecycleContext(deps, loaded);
  if (!contextFor.ok) return { ok: false, calls: [], error: contextFor.error };
  return captureProviderCalls(() => hook(contextFor.context(name, 0, attempt)));
}

/**
 * What a driver's hook on `loaded` runs with, made per step and generation (its idempotency
 * key), with the record's done steps' outputs; an error when the product config or order input
 * no longer parses.
 */
export async function lifecycleContext(
  deps: LifecycleDeps,
  { em, record, order, product, adapter }: LoadedRecord,
): Promise<
  | { ok: true; context: (step: string, generation: number, attempt?: number) => StepContext }
  | { ok: false; error: PermanentError }
> {
  const config = adapter.configSchema.safeParse(product.fulfillmentConfig);
  const input = adapter.inputSchema.safeParse(record.payloadSnapshot);
  const invalid = !config.success ? config.error : !input.success ? input.error : null;
  if (invalid) {
    const error = new PermanentError(
      `the stored order details no longer parse: ${describeZodError(invalid)}`,
      'invalid_input',
    );
    return { ok: false, error };
  }
  const steps = await em.find(FulfillmentStep, { record: record.id, status: 'done' });
  const outputs = Object.fromEntries(steps.map((step) => [step.name, step.output ?? {}]));
  return {
    ok: true,
    context: (step, generation, attempt = 1) => ({
      record: stepRecordOf(record, order),
      config: config.data,
      input: input.data,
      outputs,
      idempotencyKey: stepIdempotencyKey(record.id, step, generation),
      attempt,
      pollCount: 0,
      em: em.fork(),
      clock: deps.clock,
      services: deps.services,
    }),
  };
}

/**
 * A lifecycle call's fulfillment log rows, added to `batch`: each provider call it made, and
 * `entry` (its outcome) when given.
 */
export function logLifecycleRows(
  batch: WriteBatch,
  { record, order }: Pick<LoadedRecord, 'record' | 'order'>,
  step: string,
  attempt: number,
  now: Date,
  { calls = [], entry }: { calls?: ProviderCall[]; entry?: Omit<LogEntry, 'step' | 'attemptNumber'> } = {},
): void {
  logRows(
    batch,
    {
      recordId: record.id,
      orderId: order.id,
      driver: record.driver,
      subject: record.subject ?? null,
      network: null,
      phoneNumber: null,
      maxAttempts: record.maxAttempts,
    },
    entry ? [{ ...entry, step, attemptNumber: attempt }] : [],
    [{ step, attempt, list: calls }],
    now,
  );
}
