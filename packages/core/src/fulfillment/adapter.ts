import type { DeliveryModel, DriverContract, FulfillmentStatus } from '@handover/contracts';
import type { RetryPolicy } from '@handover/db';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { z } from 'zod';
import type { Clock } from '../clock';
import type { SecretBox } from '../security/secrets';

/** What a step sees of the record it works on. */
export interface StepRecord {
  id: string;
  orderId: string;
  orderItemId: string;
  orderCode: string;
  customerEmail: string;
  userId: string;
  driver: string;
  subject: string | null;
  position: number;
  isTest: boolean;
  /** What the provider calls this record's delivery, once a step has named it (see ExternalReferences). */
  externalReferenceId: string | null;
  externalCustomerId: string | null;
  externalWorkspaceUrl: string | null;
}

/** Services a driver may use beside its vendor clients. */
export interface DriverServices {
  secrets: SecretBox;
}

export interface StepContext<Config = unknown, Input = unknown> {
  record: StepRecord;
  /** The product's fulfillment_config, parsed by the driver's configSchema. */
  config: Config;
  /** This record's order-form values, parsed by the driver's inputSchema. */
  input: Input;
  /** Outputs of the steps already done, by step name. */
  outputs: Readonly<Record<string, Record<string, unknown>>>;
  /** The same on every attempt of this step (and changes only when the step must be redone). */
  idempotencyKey: string;
  /** 1 for the first attempt of this step. */
  attempt: number;
  /** Times this step has already asked to be polled. */
  pollCount: number;
  /** For the step's own reads and writes in Handover's database; not in the engine's transaction. */
  em: EntityManager;
  clock: Clock;
  services: DriverServices;
}

export interface CompensationContext<Config = unknown, Input = unknown> extends StepContext<Config, Input> {
  /** What this step returned when it was done. */
  output: Record<string, unknown>;
}

export type WaitingStatus = Extract<
  FulfillmentStatus,
  'awaiting_provider' | 'awaiting_customer' | 'awaiting_inventory' | 'draft'
>;

/**
 * What the provider calls the thing it made, written to the record's columns so that ops can
 * search by it, the reconcile job can ask the provider about it, and the customer can open it.
 */
export interface ExternalReferences {
  externalReferenceId?: string;
  externalCustomerId?: string;
  externalWorkspaceUrl?: string;
}

export type StepResult =
  | { kind: 'done'; output: Record<string, unknown>; external?: ExternalReferences }
  | {
      kind: 'wait';
      status: WaitingStatus;
      /** Shown to the customer: why the order is waiting. */
      reason: string;
      /** Run the step again at this time; without it, something else (a cron, a restock) wakes the record. */
      pollAt?: Date;
      /** After this many polls the step has failed (seed 001: 30 polls 10 s apart). */
      maxPolls?: number;
    }
  | { kind: 'manual'; task: ManualTaskSpec };

export interface ManualTaskSpec {
  title: string;
  instructions: string;
  queue?: string;
  slaHours?: number;
}

/** The step is done; `external` names what the provider made, for the record's columns. */
export const done = (output: Record<string, unknown> = {}, external?: ExternalReferences): StepResult =>
  external ? { kind: 'done', output, external } : { kind: 'done', output };

export const waitFor = (
  status: WaitingStatus,
  reason: string,
  options: { pollAt?: Date; maxPolls?: number } = {},
): StepResult => ({ kind: 'wait', status, reason, ...options });

/** Hands the step to a person; when they complete the task, its resolution becomes the step's output. */
export const manual = (task: ManualTaskSpec): StepResult => ({ kind: 'manual', task });

export interface FulfillmentStepDefinition<Config = unknown, Input = unknown> {
  name: string;
  /** What the customer sees on the order's timeline ("Reserving your Microsoft 365 account"). */
  label?: string;
  run(ctx: StepContext<Config, Input>): Promise<StepResult>;
  /** Undoes the step (release inventory, delete a partial provider object); runs after a failure or cancel. */
  compensate?(ctx: CompensationContext<Config, Input>): Promise<void>;
  /**
   * Undoes an attempt whose outcome is unknown: the step never finished (a timeout, an answer
   * lost, a crash in the call), yet the provider may have made something under its idempotency
   * key. Runs when the record fails, for a step attempted and not done, with `output` empty; it
   * fails like `compensate` (what the record holds is quarantined and the undo retried). A step
   * without it is taken to have left nothing behind when it did not finish.
   */
  compensateAttempt?(ctx: CompensationContext<Config, Input>): Promise<void>;
}

/** How a record of this driver is shown and searched (seed 002 filters by network and phone). */
export interface RecordDescription {
  subject?: string;
  network?: string;
  phoneNumber?: string;
}

/** What the provider says of a delivered record, when asked (the reconcile job, seed 003 `status`). */
export interface ProviderStatus {
  /**
   * `active`: delivered and working; `pending`: still being set up; `suspended` / `cancelled`:
   * stopped at the provider; `missing`: the provider no longer knows it; `failed`: it broke.
   */
  status: 'active' | 'pending' | 'suspended' | 'cancelled' | 'missing' | 'failed';
  /** In words an operator understands, for the log and any alert. */
  message?: string;
  details?: Record<string, unknown>;
}

/**
 * Something a scheduled activation needs and lacks (seed 004 5a's preflight): what the customer
 * reads, what ops read, and whether the customer can fix it.
 */
export interface PreflightFinding {
  /** Names the check (`esim_package_available`). */
  check: string;
  /** In the customer's words: what is needed. */
  problem: string;
  /** For ops: what exactly was seen. */
  detail: string;
  customerCanFix: boolean;
}

/**
 * Something a customer may ask of a delivered record besides its steps (seed 004: reissue an
 * eSIM). It runs in the worker, with the record's context and its provider calls logged; its
 * `idempotencyKey` is the request's own, the same on every attempt.
 */
export interface RecordActionDefinition<Config = unknown, Input = unknown> {
  /** What the portal's button says ("Reissue eSIM"). */
  label: string;
  /** The record statuses it may be asked in. */
  statuses: readonly FulfillmentStatus[];
  run(ctx: StepContext<Config, Input> & { requestId: string }): Promise<RecordActionOutcome>;
}

export interface RecordActionOutcome {
  /** Told to the customer ("Your new eSIM is ready: scan its QR code"). */
  message: string;
  /** Merged into the record's result (what the customer sees). */
  result?: Record<string, unknown>;
  /** What the provider now calls the record's delivery (a reissued eSIM's new ICCID). */
  external?: ExternalReferences;
}

/**
 * A driver: data plus steps (seed 003's FulfillmentAdapterInterface). Its contract (id and
 * schemas) is shared with the portal and back office; steps read top to bottom as the seed's
 * flow reads, each with its compensation beside it.
 */
export interface FulfillmentAdapter<Config = unknown, Input = unknown>
  // biome-ignore lint/suspicious/noExplicitAny: a line's form is the driver's own business until split.
  extends DriverContract<Config, any, Input> {
  deliveryModels: readonly DeliveryModel[];
  /**
   * Checks a valid order line against what already exists (a domain already delivered, say)
   * before payment is taken. Returns field errors keyed as the form's fields; none to go ahead.
   */
  checkOrderLine?(em: EntityManager, line: unknown, context: { config: Config }): Promise<Record<string, string[]>>;
  /**
   * Checks a product's valid config against what must exist for orders to be delivered (an
   * inventory pool, a template, stored credentials), when the product is saved. Returns field
   * errors keyed as the config's fields; none to save.
   */
  checkConfig?(em: EntityManager, config: Config): Promise<Record<string, string[]>>;
  /**
   * What the order form shows beside its fields, from the driver's settings (seed 001: the IP
   * address a customer allow-lists at Namecheap). Public: never a secret.
   */
  formFacts?: Record<string, string>;
  /**
   * Seed 004: the product is billed by the billing system, so checkout stays closed until the
   * customer has a payment method on file there (core/billing/paymentMethodGate.ts).
   */
  requiresPaymentMethodOnFile?: boolean;
  /** Used when the product sets none. */
  retryPolicy?: RetryPolicy;
  steps: FulfillmentStepDefinition<Config, Input>[];
  describe?(input: Input): RecordDescription;
  /** Status once every step is done: `completed` (default), or `active` when nothing more is to come. */
  completedStatus?: 'completed' | 'active';
  /**
   * How the customer's order page names each key of `result` ("Setup reference", not
   * "plugsaasOrderId"); null hides a key the driver's own view shows otherwise.
   */
  resultLabels?: Record<string, string | null>;
  /** What the customer may see once delivered. Never secrets. */
  result?(outputs: Readonly<Record<string, Record<string, unknown>>>, input: Input): Record<string, unknown>;
  /** Seed 002: tell the customer after each failed attempt that we are retrying. */
  notifyOnRetry?: boolean;
  /** Asks the provider about a delivered record that has an external reference (the reconcile job). */
  syncStatus?(ctx: StepContext<Config, Input>): Promise<ProviderStatus>;
  /** A subscription ended or failed for good: stop the service at the provider (reversible). */
  suspend?(ctx: StepContext<Config, Input>): Promise<void>;
  /** A suspended subscription was paid again: start the service at the provider again. */
  resume?(ctx: StepContext<Config, Input>): Promise<void>;
  /** A delivered item was refunded in full: end it at the provider. */
  cancel?(ctx: StepContext<Config, Input>): Promise<void>;
  /**
   * Seed 004 5a: what a scheduled activation of this record needs from the provider, checked
   * three days before (the eSIM plan available); an empty list when nothing is missing.
   */
  preflight?(ctx: StepContext<Config, Input>): Promise<PreflightFinding[]>;
  /** What a customer may ask of a delivered record, by name (`reissue`). */
  actions?: Record<string, RecordActionDefinition<Config, Input>>;
  /**
   * Reaches the provider with `config` (not yet saved) and says what was checked. `context` gives
   * what a driver needs to read its product's secrets from the key ring.
   */
  testConnection?(config: Config, context: ConnectionTestContext): Promise<{ ok: boolean; message: string }>;
  /** What testConnection calls, for the button's text: "PlugSaaS, with the key in PLUGSAAS_API_KEY". */
  testConnectionCalls?: string;
}

/** What a connection test may use beside the config: the database (for the key ring) and the services. */
export interface ConnectionTestContext {
  em: EntityManager;
  services: DriverServices;
}

/**
 * A driver as its folder exports it: its id, what it reads from the environment (its vendor
 * clients' URLs and credentials), and how it builds its adapter from that.
 */
export interface DriverDefinition<Env = unknown> {
  driver: string;
  /** A missing or bad variable stops the server and worker at start, naming it. */
  env?: z.ZodType<Env>;
  /**
   * Builds the adapter. `built` holds the adapters of the drivers listed before this one, for a
   * driver that delegates to others (seed 003's hybrid products).
   */
  create(env: Env, built: readonly AnyFulfillmentAdapter[]): AnyFulfillmentAdapter;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds adapters of every config and input type.
export type AnyFulfillmentAdapter = FulfillmentAdapter<any, any>;
