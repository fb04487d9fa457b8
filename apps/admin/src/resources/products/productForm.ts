import { type ProductInput, productInputSchema } from '@handover/contracts';
import { parseMoney, toMajorText } from '../../fields/money';

/**
 * The form's values: the product, with the price typed in the currency's major unit ("49.00")
 * and the retry policy's waits typed as a comma list.
 */
export interface ProductFormValues extends Record<string, unknown> {
  price?: string | number | null;
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

/** The price field's first value: the saved price in major units, or empty for a new product. */
export function priceText(record: { priceMinor?: number; currency?: string } | undefined): string {
  return typeof record?.priceMinor === 'number' ? toMajorText(record.priceMinor, record.currency ?? 'USD') : '';
}

/** The typed price in minor units; NaN when it is not an amount in the currency (the schema refuses it). */
function priceMinorOf(values: ProductFormValues): number | undefined {
  if (values.price === undefined || values.price === null) return values.priceMinor as number | undefined;
  const currency = typeof values.currency === 'string' && /^[A-Z]{3}$/.test(values.currency) ? values.currency : 'USD';
  return parseMoney(String(values.price), currency) ?? Number.NaN;
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
    priceMinor: priceMinorOf(values),
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
    // The price is typed in major units, in the `price` field.
    const path = issue.path[0] === 'priceMinor' ? ['price'] : issue.path.map(String);
    if (path[0] === 'price') {
      errors.price = `Enter the price in ${String(values.currency || 'the currency')}, like 49.00`;
      continue;
    }
    path.slice(0, -1).forEach((key) => {
      node[key] = (node[key] as Record<string, unknown> | undefined) ?? {};
      node = node[key] as Record<string, unknown>;
    });
    const last = path[path.length - 1] ?? 'name';
    if (!(last in node)) node[last] = issue.message;
  }
  return errors;
}
