import { z } from 'zod';
import { type DriverContract, defineDriverContract } from '../../driverContract';
import { downloadContract } from '../download';
import { licenseContract } from '../license';
import { manualContract } from '../manual';
import { saasMultitenantContract } from '../saas-multitenant';
import { saasSingletenantContract } from '../saas-singletenant';

/** Seed 003 `hybrid`: the customer picks one of the product's fulfillment paths at checkout. */
export const HYBRID_DRIVER = 'hybrid';

/**
 * The drivers a path may delegate to, in the order a hybrid record lists their steps. Each is a
 * one-record-per-line driver, so the chosen path's record is the line's record.
 */
// biome-ignore lint/suspicious/noExplicitAny: each path's driver has its own config and form.
export const HYBRID_PATH_CONTRACTS: readonly DriverContract<any, any, any>[] = [
  licenseContract,
  downloadContract,
  saasMultitenantContract,
  saasSingletenantContract,
  manualContract,
];
export const HYBRID_PATH_DRIVERS = HYBRID_PATH_CONTRACTS.map((contract) => contract.driver);

// biome-ignore lint/suspicious/noExplicitAny: see above.
export const pathContractOf = (driver: string): DriverContract<any, any, any> | undefined =>
  HYBRID_PATH_CONTRACTS.find((contract) => contract.driver === driver);

const pathSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'lower-case letters, digits and dashes, such as self-hosted'),
  /** What the customer chooses: "Run it yourself (licence and download)". */
  label: z.string().trim().min(1).max(120),
  description: z.string().trim().max(500).default(''),
  driver: z.string().refine((driver) => HYBRID_PATH_DRIVERS.includes(driver), {
    message: `must be one of: ${HYBRID_PATH_DRIVERS.join(', ')}`,
  }),
  /** The path's driver's own fulfillment_config. */
  config: z.record(z.string(), z.unknown()).default({}),
});

/** Seed 003 "multiple selectable fulfillment paths": two to five, each a driver with its config. */
export const hybridConfigSchema = z
  .object({ paths: z.array(pathSchema).min(2, 'offer at least two paths').max(5) })
  .transform((config, ctx) => {
    const seen = new Set<string>();
    const paths = config.paths.map((path, index) => {
      if (seen.has(path.id)) ctx.addIssue({ code: 'custom', path: ['paths', index, 'id'], message: 'is used twice' });
      seen.add(path.id);
      const parsed = pathContractOf(path.driver)?.configSchema.safeParse(path.config);
      if (parsed && !parsed.success) {
        for (const issue of parsed.error.issues) {
          ctx.addIssue({ code: 'custom', path: ['paths', index, 'config', ...issue.path], message: issue.message });
        }
        return path;
      }
      return { ...path, config: (parsed?.data ?? path.config) as Record<string, unknown> };
    });
    return { paths };
  });
export type HybridConfig = z.output<typeof hybridConfigSchema>;
export type HybridPath = HybridConfig['paths'][number];

/** One order line: the chosen path, and that path's own order form. */
export const hybridOrderSchema = z.object({
  path: z.string().trim().min(1, 'Choose how you want it delivered').max(40),
  input: z.record(z.string(), z.unknown()).default({}),
});
export type HybridOrder = z.output<typeof hybridOrderSchema>;

export const pathOf = (config: HybridConfig, id: string): HybridPath | undefined =>
  config.paths.find((path) => path.id === id);

/** What the order form shows: each path, with what its own driver's form offers. */
export function hybridCheckoutOptions(config: HybridConfig) {
  return {
    paths: config.paths.map((path) => ({
      id: path.id,
      label: path.label,
      description: path.description,
      driver: path.driver,
      options: pathContractOf(path.driver)?.checkoutOptions?.(path.config) ?? {},
    })),
  };
}

/** A path the product offers, and that path's form valid for its driver and config (errors under `input.`). */
export function checkHybridLine(form: HybridOrder, config: HybridConfig): Record<string, string[]> {
  const path = pathOf(config, form.path);
  if (!path) return { path: [`Choose one of: ${config.paths.map((p) => p.label).join(', ')}`] };
  const contract = pathContractOf(path.driver);
  if (!contract) return { path: ['This choice cannot be delivered right now'] };
  const schema = contract.formSchema ?? contract.inputSchema;
  const parsed = schema.safeParse(form.input);
  const errors: Record<string, string[]> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = ['input', ...issue.path.map(String)].join('.');
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
    return errors;
  }
  for (const [key, messages] of Object.entries(contract.checkLine?.(parsed.data, path.config) ?? {})) {
    errors[`input.${key}`] = messages;
  }
  return errors;
}

export const hybridContract = defineDriverContract({
  driver: HYBRID_DRIVER,
  configSchema: hybridConfigSchema,
  inputSchema: hybridOrderSchema,
  checkoutOptions: hybridCheckoutOptions,
  checkLine: checkHybridLine,
});
