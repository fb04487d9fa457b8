import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';

/** Managed setup done by people (seed 003 `manual_fulfillment`). */
export const MANUAL_DRIVER = 'manual';

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
export type ManualConfig = z.output<typeof manualConfigSchema>;

/** The order form of a managed (by hand) product: what the customer asks for, in their words. */
export const manualInputSchema = z.object({
  notes: z.string().trim().max(2000, 'Keep it under 2000 characters').default(''),
});
export type ManualInput = z.output<typeof manualInputSchema>;

export const manualContract = defineDriverContract({
  driver: MANUAL_DRIVER,
  configSchema: manualConfigSchema,
  inputSchema: manualInputSchema,
});
