import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';
import { esimPackageCodeSchema, iccidSchema } from '../esim';

/** Seed 004's eSIM top-up: a data add-on bought like any product and applied to one of the customer's eSIMs. */
export const ESIM_TOP_UP_DRIVER = 'esim-top-up';

/** The add-on's package, and the base plans (package codes) it can be added to. */
export const esimTopUpConfigSchema = z.object({
  packageCode: esimPackageCodeSchema,
  forPackages: z.array(esimPackageCodeSchema).min(1, 'Name at least one plan this add-on fits'),
});
export type EsimTopUpConfig = z.output<typeof esimTopUpConfigSchema>;

/** The eSIM the data goes to. */
export const esimTopUpInputSchema = z.object({ iccid: iccidSchema });
export type EsimTopUpInput = z.output<typeof esimTopUpInputSchema>;

export const esimTopUpContract = defineDriverContract({
  driver: ESIM_TOP_UP_DRIVER,
  configSchema: esimTopUpConfigSchema,
  inputSchema: esimTopUpInputSchema,
});
