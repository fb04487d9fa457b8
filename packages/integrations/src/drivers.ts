import { type AnyFulfillmentAdapter, manualAdapter, parseEnv } from '@handover/core';
import { z } from 'zod';

/** The env every production driver's vendor clients read (each driver adds its own keys). */
export const driversEnvSchema = z.object({});

/**
 * Every fulfillment driver this deployment runs, with its vendor clients. The server uses the
 * same list as the worker, to validate products and order forms and to create records.
 */
export function buildDrivers(env: Record<string, string | undefined>, app: string): AnyFulfillmentAdapter[] {
  parseEnv(app, driversEnvSchema, env);
  return [manualAdapter];
}
