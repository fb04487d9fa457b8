import type { EntityManager } from '@mikro-orm/postgresql';
import { ValidationError } from '../errors';
import type { AnyFulfillmentAdapter } from './adapter';
import { type DriverRegistry, fieldErrorsOf } from './registry';

export interface ParsedOrderLine {
  /** The line's form values, as the driver's form schema (or input schema) gives them. */
  form: unknown;
  /** One input per fulfillment record, as stored on the record. */
  parts: Record<string, unknown>[];
  /** Each part parsed by the driver's input schema. */
  inputs: unknown[];
}

/**
 * Checks one order line with its driver's schemas and splits it into record inputs. A bad
 * line throws ValidationError with field errors under `items.<line>.input`.
 */
export function parseOrderLine(
  adapter: AnyFulfillmentAdapter,
  input: unknown,
  line: number,
  productName: string,
): ParsedOrderLine {
  const invalid = (error: Parameters<typeof fieldErrorsOf>[0]) =>
    new ValidationError(`Order line ${line + 1} (${productName}) is not valid`, fieldErrorsOf(error, prefix(line)));
  let form: unknown = input;
  if (adapter.formSchema) {
    const parsed = adapter.formSchema.safeParse(input);
    if (!parsed.success) throw invalid(parsed.error);
    form = parsed.data;
  }
  const parts = adapter.split ? adapter.split(form as Record<string, unknown>) : [form as Record<string, unknown>];
  const inputs = parts.map((part) => {
    const parsed = adapter.inputSchema.safeParse(part);
    if (!parsed.success) throw invalid(parsed.error);
    return parsed.data;
  });
  return { form, parts, inputs };
}

/**
 * What checkout runs before taking payment: every line valid for its product's driver, for the
 * product's config (a plan it sells, the options it needs: seed 003 §7.1), and accepted by the
 * driver's own check against what already exists (a domain already set up). Throws
 * ValidationError with every refused field under `items.<line>.input.<field>`.
 */
export async function checkOrderLines(
  em: EntityManager,
  registry: DriverRegistry,
  lines: { driver: string; productName: string; input: unknown; config?: unknown }[],
): Promise<void> {
  const errors: Record<string, string[]> = {};
  for (const [line, { driver, productName, input, config }] of lines.entries()) {
    const adapter = registry.get(driver);
    const { form } = parseOrderLine(adapter, input, line, productName);
    const parsedConfig = adapter.configSchema.safeParse(config ?? {});
    if (config !== undefined && !parsedConfig.success) {
      errors[prefix(line)] = [`${productName} cannot be ordered right now.`];
      continue;
    }
    const refused = {
      ...(parsedConfig.success ? adapter.checkLine?.(form, parsedConfig.data) : {}),
      ...((await adapter.checkOrderLine?.(em, form, { config: parsedConfig.data })) ?? {}),
    };
    for (const [field, messages] of Object.entries(refused)) errors[`${prefix(line)}.${field}`] = messages;
  }
  if (Object.keys(errors).length > 0) {
    throw new ValidationError('Part of this order cannot be accepted', errors);
  }
}

const prefix = (line: number) => `items.${line}.input`;
