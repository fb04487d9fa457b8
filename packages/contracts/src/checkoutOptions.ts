import { z } from 'zod';

// Seed 003 §7.1: a product shows "product-type-specific options" at checkout. A product's
// fulfillment_config declares them (a point-of-sale needs the business name and its locations),
// the portal draws the fields from the declaration, and the server checks the answers with the
// very functions below before the customer pays.

const optionKey = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and underscores, starting with a letter');
const optionLabel = z.string().trim().min(1).max(120);
const optionHint = z.string().trim().max(300).optional();

/** One option a product asks for at checkout. */
export const checkoutOptionSchema = z.discriminatedUnion('type', [
  z.object({
    key: optionKey,
    label: optionLabel,
    hint: optionHint,
    type: z.literal('text'),
    required: z.boolean().default(true),
    max_length: z.number().int().min(1).max(500).default(120),
  }),
  z.object({
    key: optionKey,
    label: optionLabel,
    hint: optionHint,
    type: z.literal('number'),
    required: z.boolean().default(true),
    min: z.number().int().default(1),
    max: z.number().int().default(1000),
  }),
  z.object({
    key: optionKey,
    label: optionLabel,
    hint: optionHint,
    type: z.literal('choice'),
    required: z.boolean().default(true),
    choices: z
      .array(z.object({ value: z.string().trim().min(1).max(60), label: optionLabel }))
      .min(1)
      .max(50),
  }),
]);
export type CheckoutOption = z.output<typeof checkoutOptionSchema>;

/** A product's options, each key once. */
export const checkoutOptionsSchema = z
  .array(checkoutOptionSchema)
  .max(20)
  .default([])
  .superRefine((options, ctx) => {
    const seen = new Set<string>();
    for (const [index, option] of options.entries()) {
      if (seen.has(option.key)) {
        ctx.addIssue({ code: 'custom', path: [index, 'key'], message: `"${option.key}" is used twice` });
      }
      seen.add(option.key);
    }
  });

/** What the customer entered for the options, as the order line carries it. */
export const optionValuesSchema = z.record(z.string(), z.union([z.string().max(500), z.number()])).default({});
export type OptionValues = z.output<typeof optionValuesSchema>;

/** A plan a customer may choose (seed 003's `upgrade` moves between them). */
export const planChoiceSchema = z.object({
  id: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,59}$/, 'lower-case letters, digits, dashes and underscores'),
  label: z.string().trim().min(1).max(120),
  description: z.string().trim().max(300).optional(),
});
export type PlanChoice = z.output<typeof planChoiceSchema>;

/**
 * Checks the answers against the product's options: each required one given, numbers whole and
 * in range, choices among the offered ones. Returns the cleaned values (only the declared keys,
 * numbers as numbers) or the problems keyed `options.<key>`, in words for the customer.
 */
export function parseOptionValues(
  options: readonly CheckoutOption[],
  values: Record<string, unknown>,
): { ok: true; values: OptionValues } | { ok: false; errors: Record<string, string[]> } {
  const cleaned: OptionValues = {};
  const errors: Record<string, string[]> = {};
  const problem = (key: string, message: string) => {
    errors[`options.${key}`] = [message];
  };
  for (const option of options) {
    const raw = values[option.key];
    const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
    if (empty) {
      if (option.required) problem(option.key, `${requiredVerb(option)} ${option.label.toLowerCase()}`);
      continue;
    }
    switch (option.type) {
      case 'text': {
        const text = String(raw).trim();
        if (text.length > option.max_length) problem(option.key, `Use at most ${option.max_length} characters`);
        else cleaned[option.key] = text;
        break;
      }
      case 'number': {
        const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
        if (!Number.isInteger(number) || number < option.min || number > option.max) {
          problem(option.key, `Enter a whole number from ${option.min} to ${option.max}`);
        } else cleaned[option.key] = number;
        break;
      }
      case 'choice': {
        const value = String(raw);
        if (!option.choices.some((choice) => choice.value === value)) {
          problem(option.key, `Choose one of: ${option.choices.map((choice) => choice.label).join(', ')}`);
        } else cleaned[option.key] = value;
        break;
      }
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values: cleaned };
}

const requiredVerb = (option: CheckoutOption) => (option.type === 'choice' ? 'Choose' : 'Enter');
