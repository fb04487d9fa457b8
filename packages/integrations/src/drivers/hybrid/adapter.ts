import {
  HYBRID_PATH_DRIVERS,
  type HybridConfig,
  type HybridOrder,
  hybridContract,
  pathOf,
} from '@handover/contracts/drivers/hybrid';
import {
  type AnyFulfillmentAdapter,
  type CompensationContext,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  PermanentError,
  type StepContext,
} from '@handover/core';

type Context = StepContext<HybridConfig, HybridOrder>;
type Outputs = Readonly<Record<string, Record<string, unknown>>>;

/** A delegated step's name: its driver's id, then the driver's own step name. */
const stepName = (driver: string, step: string) => `${driver}.${step}`;

/** The outputs of one delegate's steps, under their own names (what that driver's code reads). */
function outputsOf(outputs: Outputs, driver: string): Outputs {
  const prefix = `${driver}.`;
  return Object.fromEntries(
    Object.entries(outputs)
      .filter(([name]) => name.startsWith(prefix))
      .map(([name, output]) => [name.slice(prefix.length), output]),
  );
}

/**
 * Seed 003 `hybrid`: the customer picked one of the product's paths at checkout (a licence and
 * download, or managed setup, say) and the record is delivered by that path's driver. The
 * hybrid driver lists the steps of every driver a path may use, each named `<driver>.<step>`;
 * those of the drivers not chosen are passed over at once (journalled `skipped`, left out of the
 * customer's timeline), the chosen driver's run with the path's own config and order form. Its
 * lifecycle calls (suspend, resume, cancel, status) go to the chosen driver too.
 */
export function createHybridAdapter(
  built: readonly AnyFulfillmentAdapter[],
): FulfillmentAdapter<HybridConfig, HybridOrder> {
  const delegates = HYBRID_PATH_DRIVERS.map((driver) => built.find((adapter) => adapter.driver === driver)).filter(
    (adapter): adapter is AnyFulfillmentAdapter => adapter !== undefined,
  );

  /** The chosen path's driver and what its code sees in place of the hybrid record's context. */
  function delegateOf(ctx: Context): { adapter: AnyFulfillmentAdapter; ctx: StepContext } {
    const path = pathOf(ctx.config, ctx.input.path);
    const adapter = path ? delegates.find((candidate) => candidate.driver === path.driver) : undefined;
    if (!path || !adapter) {
      throw new PermanentError(`The chosen path "${ctx.input.path}" is not one this product delivers`, 'unknown_path');
    }
    const config = adapter.configSchema.safeParse(path.config);
    const input = adapter.inputSchema.safeParse(ctx.input.input);
    if (!config.success || !input.success) {
      throw new PermanentError(`The ${path.label} path's settings or order no longer parse`, 'invalid_path');
    }
    const { record, idempotencyKey, attempt, pollCount, clock, services } = ctx;
    return {
      adapter,
      ctx: {
        record,
        config: config.data,
        input: input.data,
        outputs: outputsOf(ctx.outputs, adapter.driver),
        idempotencyKey,
        attempt,
        pollCount,
        get em() {
          return ctx.em;
        },
        clock,
        services,
      },
    };
  }

  const chosenDriver = (ctx: Context) => pathOf(ctx.config, ctx.input.path)?.driver;

  const steps: FulfillmentStepDefinition<HybridConfig, HybridOrder>[] = delegates.flatMap((delegate) =>
    delegate.steps.map((step) => ({
      name: stepName(delegate.driver, step.name),
      label: step.label,
      async run(ctx) {
        if (chosenDriver(ctx) !== delegate.driver) return done({ skipped: true });
        return step.run(delegateOf(ctx).ctx);
      },
      ...(step.compensate
        ? {
            async compensate(ctx: CompensationContext<HybridConfig, HybridOrder>) {
              if (ctx.output.skipped === true) return;
              await step.compensate?.({ ...delegateOf(ctx).ctx, output: ctx.output });
            },
          }
        : {}),
    })),
  );

  /** A lifecycle call goes to the chosen driver; one it cannot make is for a person. */
  const lifecycle =
    (hook: 'suspend' | 'resume' | 'cancel') =>
    async (ctx: Context): Promise<void> => {
      const { adapter, ctx: delegated } = delegateOf(ctx);
      const call = adapter[hook];
      if (!call) {
        throw new PermanentError(
          `The ${ctx.input.path} path (${adapter.driver}) cannot ${hook} by itself: do it by hand`,
          `${hook}_unsupported`,
        );
      }
      await call.call(adapter, delegated);
    };

  return {
    ...hybridContract,
    deliveryModels: ['hybrid'],
    steps,
    completedStatus: 'active',
    describe: (input) => ({ subject: input.path }),
    result: (outputs, input) => {
      const chosen = delegates.find((adapter) => {
        const output = outputs[stepName(adapter.driver, adapter.steps[0]?.name ?? '')];
        return output !== undefined && output.skipped !== true;
      });
      if (!chosen) return { path: input.path };
      const parsed = chosen.inputSchema.safeParse(input.input);
      return {
        path: input.path,
        ...(chosen.result?.(outputsOf(outputs, chosen.driver), parsed.success ? parsed.data : input.input) ?? {}),
      };
    },
    async syncStatus(ctx) {
      const { adapter, ctx: delegated } = delegateOf(ctx);
      return adapter.syncStatus ? adapter.syncStatus(delegated) : { status: 'active', message: 'Nothing to ask' };
    },
    suspend: lifecycle('suspend'),
    resume: lifecycle('resume'),
    cancel: lifecycle('cancel'),
    // Each path's own connection test, one after the other.
    async testConnection(config, context) {
      const results: string[] = [];
      let ok = true;
      for (const path of config.paths) {
        const adapter = delegates.find((candidate) => candidate.driver === path.driver);
        if (!adapter?.testConnection) {
          results.push(`${path.label}: nothing to test.`);
          continue;
        }
        const tested = await adapter.testConnection(adapter.configSchema.parse(path.config), context);
        ok &&= tested.ok;
        results.push(`${path.label}: ${tested.message}`);
      }
      return { ok, message: results.join(' ') };
    },
  };
}
