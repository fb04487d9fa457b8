import { z } from 'zod';
import { defineDriverContract } from '../../driverContract';

/** Seed 004's eSIM: a data plan's profile from an eSIM provider (eSIM Access), installed from its QR code. */
export const ESIM_DRIVER = 'esim';

/** The customer's action on a delivered eSIM: a new profile, the old one disabled (seed 004 reissue). */
export const ESIM_REISSUE_ACTION = 'reissue';

/** eSIM Access's package code (`JC016`), as its package list names it. */
export const esimPackageCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{2,64}$/, "Enter eSIM Access's package code, such as JC016");

/** A product's configuration: the data plan each eSIM of it comes with. */
export const esimConfigSchema = z.object({ packageCode: esimPackageCodeSchema });
export type EsimConfig = z.output<typeof esimConfigSchema>;

/** One eSIM: a name the customer gives it, to tell several apart ("Ama's phone"). */
export const esimInputSchema = z.object({
  label: z.string().trim().max(60, 'Use at most 60 characters').default(''),
});
export type EsimInput = z.output<typeof esimInputSchema>;

export const esimContract = defineDriverContract({
  driver: ESIM_DRIVER,
  configSchema: esimConfigSchema,
  inputSchema: esimInputSchema,
});

/** An eSIM's ICCID: 18 to 22 digits. */
export const iccidSchema = z
  .string()
  .trim()
  .regex(/^\d{18,22}$/, 'Choose the eSIM this is for');

/** Data in a customer's units: `1 GB`, `512 MB`. */
export function formatDataVolume(bytes: number): string {
  const gb = bytes / 1024 ** 3;
  if (gb >= 1) return `${Number.isInteger(gb) ? gb : gb.toFixed(1)} GB`;
  return `${Math.round(bytes / 1024 ** 2)} MB`;
}
