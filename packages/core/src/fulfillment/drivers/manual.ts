import { z } from 'zod';
import { manualInputSchema } from '../../schemas/manual';
import { type FulfillmentAdapter, manual } from '../adapter';

/** Seed 003 `manual_fulfillment`: the team queue, the SLA and the default instructions. */
export const manualConfigSchema = z.object({
  queue: z.string().min(1).max(64).default('ops'),
  slaHours: z
    .number()
    .int()
    .min(1)
    .max(24 * 30),
  instructions: z.string().min(1).max(5000),
});

/**
 * Managed setup done by people (seed 003 ManualFulfillmentAdapter): opens a task in the ops
 * queue with an SLA; the operator's resolution (e.g. a handover note) becomes the result.
 */
export const manualAdapter: FulfillmentAdapter<
  z.output<typeof manualConfigSchema>,
  z.output<typeof manualInputSchema>
> = {
  driver: 'manual',
  deliveryModels: ['managed_setup'],
  configSchema: manualConfigSchema,
  inputSchema: manualInputSchema,
  steps: [
    {
      name: 'perform',
      async run({ config, input, record }) {
        return manual({
          title: `Order ${record.orderCode}: ${config.instructions.split('\n')[0]?.slice(0, 120) ?? 'managed setup'}`,
          instructions: input.notes
            ? `${config.instructions}\n\nThe customer wrote:\n${input.notes}`
            : config.instructions,
          queue: config.queue,
          slaHours: config.slaHours,
        });
      },
    },
  ],
  result: (outputs) => {
    const note = outputs.perform?.note;
    return typeof note === 'string' ? { note } : {};
  },
};
