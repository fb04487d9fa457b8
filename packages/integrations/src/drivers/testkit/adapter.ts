import {
  assignInventory,
  done,
  type FulfillmentAdapter,
  type FulfillmentStepDefinition,
  manual,
  PermanentError,
  releaseReservation,
  reserveInventory,
  waitFor,
} from '@handover/core';
import { z } from 'zod';
import type { TestkitClient } from './client';

export const testkitConfigSchema = z.object({
  pollIntervalMs: z.number().int().min(10).default(200),
  maxPolls: z.number().int().min(1).default(30),
  /** When set, each record takes an item of this pool first and has it assigned on activation. */
  inventoryPool: z.string().optional(),
});
export type TestkitConfig = z.output<typeof testkitConfigSchema>;

export const testkitInputSchema = z.object({
  label: z.string().min(1),
  /** The provider refuses the resource (a permanent error). */
  reject: z.boolean().default(false),
  /** The resource becomes ready after this many status checks. */
  readyAfterPolls: z.number().int().min(0).default(0),
  /** Hand the `review` step to a person. */
  manual: z.boolean().default(false),
});
export type TestkitInput = z.output<typeof testkitInputSchema>;

type Step = FulfillmentStepDefinition<TestkitConfig, TestkitInput>;
export type TestkitStepName = 'reserve' | 'create' | 'await_ready' | 'review' | 'activate';

const resourceIdOf = (outputs: Readonly<Record<string, Record<string, unknown>>>): string => {
  const id = outputs.create?.resourceId;
  if (typeof id !== 'string') throw new PermanentError('The create step left no resource id', 'missing_output');
  return id;
};

function steps(client: TestkitClient): Record<TestkitStepName, Step> {
  return {
    reserve: {
      name: 'reserve',
      async run({ config, record, em, clock }) {
        if (!config.inventoryPool) return done({ itemId: null });
        const item = await reserveInventory(em, {
          poolSlug: config.inventoryPool,
          recordId: record.id,
          orderId: record.orderId,
          now: clock.now(),
        });
        if (!item) return waitFor('awaiting_inventory', 'Waiting for stock to be added');
        return done({ itemId: item.id });
      },
      async compensate({ record, em, clock }) {
        await releaseReservation(em, record.id, clock.now());
      },
    },
    create: {
      name: 'create',
      async run({ input, idempotencyKey }) {
        const created = await client.create(
          { label: input.label, reject: input.reject || undefined, readyAfterPolls: input.readyAfterPolls },
          idempotencyKey,
        );
        return done({ resourceId: created.id });
      },
      async compensate({ output }) {
        await client.delete(String(output.resourceId));
      },
    },
    await_ready: {
      name: 'await_ready',
      async run({ outputs, config, clock }) {
        const resource = await client.get(resourceIdOf(outputs));
        if (resource.status === 'pending') {
          return waitFor('awaiting_provider', 'Waiting for the provider to finish setting it up', {
            pollAt: new Date(clock.now().getTime() + config.pollIntervalMs),
            maxPolls: config.maxPolls,
          });
        }
        return done({ status: resource.status });
      },
    },
    review: {
      name: 'review',
      async run({ input }) {
        if (!input.manual) return done({ reviewed: false });
        return manual({
          title: `Review ${input.label}`,
          instructions: 'Check the resource and approve it.',
          slaHours: 4,
        });
      },
    },
    activate: {
      name: 'activate',
      async run({ outputs, idempotencyKey, config, record, em, clock }) {
        const resource = await client.activate(resourceIdOf(outputs), idempotencyKey);
        if (config.inventoryPool) {
          await assignInventory(em, {
            recordId: record.id,
            customerEmail: record.customerEmail,
            domain: record.subject,
            now: clock.now(),
          });
        }
        return done({ status: resource.status });
      },
    },
  };
}

/**
 * A driver over the testkit API, for the engine's tests and benchmark. `steps` picks which of
 * its steps it runs, in order.
 */
export function createTestkitAdapter(
  client: TestkitClient,
  options: { driver?: string; steps?: TestkitStepName[] } = {},
): FulfillmentAdapter<TestkitConfig, TestkitInput> {
  const all = steps(client);
  return {
    driver: options.driver ?? 'testkit',
    deliveryModels: ['saas_singletenant'],
    configSchema: testkitConfigSchema,
    inputSchema: testkitInputSchema,
    steps: (options.steps ?? ['reserve', 'create', 'await_ready', 'review', 'activate']).map((name) => all[name]),
    describe: (input) => ({ subject: input.label }),
    result: (outputs) => ({ resourceId: outputs.create?.resourceId ?? null }),
    // A subscription's end suspends the resource; a refund deletes it (seed 003 suspend / cancel).
    async suspend({ outputs, idempotencyKey }) {
      await client.suspend(resourceIdOf(outputs), idempotencyKey);
    },
    async cancel({ outputs }) {
      await client.delete(resourceIdOf(outputs));
    },
  };
}
