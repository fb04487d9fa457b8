import { type ProductInput, productInputSchema } from '@handover/contracts';

/** The form's values: the product, with the retry policy's waits typed as a comma list. */
export interface ProductFormValues extends Record<string, unknown> {
  retryPolicy?: { maxAttempts?: number | null; backoffSeconds?: string | number[] | null } | null;
}

/**
 * The driver's config as typed: a field the admin emptied (the inputs give null or '') is left
 * out, so the driver's schema applies its default instead of refusing a null.
 */
export function driverConfigOf(config: unknown): Record<string, unknown> {
  if (!config || typeof config !== 'object') return {};
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== null && value !== ''));
}

/** Form values as the API takes them: an empty retry policy means "the driver's default". */
export function toProductInput(values: ProductFormValues): ProductInput {
  const policy = values.retryPolicy;
  const waits = policy?.backoffSeconds;
  const backoffSeconds = Array.isArray(waits)
    ? waits
    : String(waits ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number);
  const fields = Object.keys(productInputSchema.shape);
  const picked = Object.fromEntries(fields.filter((key) => key in values).map((key) => [key, values[key]]));
  return {
    ...picked,
    fulfillmentConfig: driverConfigOf(values.fulfillmentConfig),
    retryPolicy: policy?.maxAttempts ? { maxAttempts: Number(policy.maxAttempts), backoffSeconds } : null,
  } as ProductInput;
}

/**
 * Client-side checks with the same schema the server uses, keyed as the form's fields. The
 * driver's config is checked by the server, which knows the driver's schema.
 */
export function validateProduct(values: ProductFormValues): Record<string, unknown> {
  const result = productInputSchema.safeParse(toProductInput(values));
  if (result.success) return {};
  const errors: Record<string, unknown> = {};
  for (const issue of result.error.issues) {
    let node = errors;
    const path = issue.path.map(String);
    path.slice(0, -1).forEach((key) => {
      node[key] = (node[key] as Record<string, unknown> | undefined) ?? {};
      node = node[key] as Record<string, unknown>;
    });
    const last = path[path.length - 1] ?? 'name';
    if (!(last in node)) node[last] = issue.message;
  }
  return errors;
}
