import { MANUAL_DRIVER } from '@handover/contracts/drivers/manual';
import type { DriverDefinition } from '@handover/core';
import { manualAdapter } from './adapter';

export { manualAdapter } from './adapter';

/** Managed setup done by people: calls no outside system, so it reads nothing from the environment. */
export const manualDriver: DriverDefinition = {
  driver: MANUAL_DRIVER,
  create: () => manualAdapter,
};
