import { type ManualConfig, type ManualInput, manualContract } from '@handover/contracts/drivers/manual';
import { type FulfillmentAdapter, manual } from '@handover/core';

/**
 * Managed setup done by people (seed 003 ManualFulfillmentAdapter): opens a task in the ops
 * queue with an SLA; the operator's resolution (e.g. a handover note) becomes the result.
 */
export const manualAdapter: FulfillmentAdapter<ManualConfig, ManualInput> = {
  ...manualContract,
  deliveryModels: ['managed_setup'],
  steps: [
    {
      name: 'perform',
      label: 'Our team sets it up for you',
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
  resultLabels: { note: 'From our team' },
  result: (outputs) => {
    const note = outputs.perform?.note;
    return typeof note === 'string' ? { note } : {};
  },
};
