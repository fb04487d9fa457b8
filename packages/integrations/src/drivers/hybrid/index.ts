import { HYBRID_DRIVER } from '@handover/contracts/drivers/hybrid';
import type { DriverDefinition } from '@handover/core';
import { createHybridAdapter } from './adapter';

export * from './adapter';

/**
 * Hybrid products (seed 003 `hybrid`): delivered by the drivers listed before it in DRIVERS,
 * so it reads nothing from the environment of its own.
 */
export const hybridDriver: DriverDefinition = {
  driver: HYBRID_DRIVER,
  create: (_env, built) => createHybridAdapter(built),
};
