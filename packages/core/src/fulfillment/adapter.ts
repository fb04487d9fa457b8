import type { DeliveryModel, FulfillmentStatus, RetryPolicy } from '@handover/db';
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

export type StepResult =
  | { kind: 'done'; output: Record<string, unknown> }
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

export const done = (output: Record<string, unknown> = {}): StepResult => ({ kind: 'done', output });

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
}

/** How a record of this driver is shown and searched (seed 002 filters by network and phone). */
export interface RecordDescription {
  subject?: string;
  network?: string;
  phoneNumber?: string;
}

/**
 * A driver: data plus steps (seed 003's FulfillmentAdapterInterface). Steps read top to bottom as
 * the seed's flow reads, each with its compensation beside it.
 */
export interface FulfillmentAdapter<Config = unknown, Input = unknown> {
  driver: string;
  deliveryModels: readonly DeliveryModel[];
  /** Validates a product's fulfillment_config when it is saved, and again before each run. */
  configSchema: z.ZodType<Config>;
  /** Validates one record's input (one order line, or one domain of it). */
  inputSchema: z.ZodType<Input>;
  /**
   * The order form of one line, when that is not one record's input (seed 000's form lists
   * domains; each record takes one). Checked before `split`, which then gets its output.
   */
  formSchema?: z.ZodType;
  /**
   * Checks a valid order line against what already exists (a domain already delivered, say)
   * before payment is taken. Returns field errors keyed as the form's fields; none to go ahead.
   */
  checkOrderLine?(em: EntityManager, line: unknown): Promise<Record<string, string[]>>;
  /** Used when the product sets none. */
  retryPolicy?: RetryPolicy;
  steps: FulfillmentStepDefinition<Config, Input>[];
  /** One order line may become several records (one per domain, say). Default: one. */
  split?(input: Record<string, unknown>): Record<string, unknown>[];
  describe?(input: Input): RecordDescription;
  /** Status once every step is done: `completed` (default), or `active` when nothing more is to come. */
  completedStatus?: 'completed' | 'active';
  /** What the customer may see once delivered. Never secrets. */
  result?(outputs: Readonly<Record<string, Record<string, unknown>>>, input: Input): Record<string, unknown>;
  /** Seed 002: tell the customer after each failed attempt that we are retrying. */
  notifyOnRetry?: boolean;
  syncStatus?(ctx: StepContext<Config, Input>): Promise<{ status: string; details?: Record<string, unknown> }>;
  suspend?(ctx: StepContext<Config, Input>): Promise<void>;
  cancel?(ctx: StepContext<Config, Input>): Promise<void>;
  testConnection?(config: Config): Promise<{ ok: boolean; message: string }>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds adapters of every config and input type.
export type AnyFulfillmentAdapter = FulfillmentAdapter<any, any>;
