import { manualContract } from '@handover/contracts/drivers/manual';
import { type FulfillmentAdapter, manual } from '../src';

/**
 * A driver with the manual driver's contract (its config and order form) whose one step opens
 * a task: what core's own tests need of a driver, without the drivers package.
 */
export const manualDriver: FulfillmentAdapter = {
  ...manualContract,
  deliveryModels: ['managed_setup'],
  steps: [{ name: 'perform', run: async () => manual({ title: 'Set it up', instructions: 'By hand.' }) }],
};
