import { z } from 'zod';
import { ValidationError } from '../errors';
import type { AnyFulfillmentAdapter } from './adapter';

/** The drivers this process can run, registered at start-up by the app (core never imports a vendor). */
export class DriverRegistry {
  private readonly adapters = new Map<string, AnyFulfillmentAdapter>();

  constructor(adapters: AnyFulfillmentAdapter[] = []) {
    for (const adapter of adapters) this.register(adapter);
  }

  register(adapter: AnyFulfillmentAdapter): void {
    if (this.adapters.has(adapter.driver)) throw new Error(`Driver "${adapter.driver}" is registered twice`);
    if (adapter.steps.length === 0) throw new Error(`Driver "${adapter.driver}" has no steps`);
    const names = adapter.steps.map((s) => s.name);
    if (new Set(names).size !== names.length) throw new Error(`Driver "${adapter.driver}" repeats a step name`);
    this.adapters.set(adapter.driver, adapter);
  }

  has(driver: string): boolean {
    return this.adapters.has(driver);
  }

  get(driver: string): AnyFulfillmentAdapter {
    const adapter = this.adapters.get(driver);
    if (!adapter) throw new Error(`No fulfillment driver "${driver}" is registered`);
    return adapter;
  }

  list(): AnyFulfillmentAdapter[] {
    return [...this.adapters.values()];
  }
}

/**
 * Checks a product's fulfillment_config against its driver's schema. Field errors come back
 * under `fulfillmentConfig.<path>` so a form can show them beside the field.
 */
export function validateFulfillmentConfig(registry: DriverRegistry, driver: string, config: unknown): unknown {
  if (!registry.has(driver)) {
    throw new ValidationError(`Unknown fulfillment driver "${driver}"`, {
      fulfillmentDriver: [
        `Choose one of: ${registry
          .list()
          .map((a) => a.driver)
          .join(', ')}`,
      ],
    });
  }
  const result = registry.get(driver).configSchema.safeParse(config);
  if (result.success) return result.data;
  throw new ValidationError(
    `The ${driver} configuration is not valid`,
    fieldErrorsOf(result.error, 'fulfillmentConfig'),
  );
}

export function fieldErrorsOf(error: z.ZodError, prefix: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = [prefix, ...issue.path.map(String)].filter(Boolean).join('.') || '(form)';
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

/** Parses with a schema, turning a failure into a one-line description for logs and alerts. */
export function describeZodError(error: z.ZodError): string {
  return z.prettifyError(error).replace(/\n+/g, '; ');
}
