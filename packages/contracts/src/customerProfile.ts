import { z } from 'zod';
import { isCalendarDate } from './activation';

// Seed 004's sign-up fields beyond email and password: company, Customer Number (the operator
// system's account number), the address that is both billing and service address, and a date of
// birth for products with an age limit. Each is optional at sign-up and required by the products
// that need it (serviceRules.requiredProfile).

export const companySchema = z.string().trim().min(1, 'Enter the company name').max(200, 'At most 200 characters');

/** Seed 004's "Customer Number (SF Number)": letters, digits and dashes, as the operator system writes it. */
export const customerNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9][A-Z0-9-]{2,31}$/, 'Enter your customer number: 3 to 32 letters, digits or dashes');

/** Postal codes of the countries whose format is simple to state; others are checked for length only. */
const POSTAL_CODES: Record<string, { pattern: RegExp; example: string }> = {
  US: { pattern: /^\d{5}(-\d{4})?$/, example: '94105' },
  GB: { pattern: /^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$/, example: 'SW1A 1AA' },
  CA: { pattern: /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/, example: 'K1A 0B1' },
  JP: { pattern: /^\d{3}-?\d{4}$/, example: '100-0001' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  FR: { pattern: /^\d{5}$/, example: '75001' },
  NL: { pattern: /^\d{4} ?[A-Z]{2}$/, example: '1011 AB' },
  AU: { pattern: /^\d{4}$/, example: '2000' },
  IN: { pattern: /^\d{6}$/, example: '110001' },
};

/**
 * A postal address (seed 004: billing address = service address, captured once, validated,
 * snapshotted on the order). The country is ISO 3166-1 alpha-2; the postal code is checked
 * against the country's format where it has a simple one.
 */
export const addressSchema = z
  .object({
    line1: z.string().trim().min(3, 'Enter the street and number').max(200, 'At most 200 characters'),
    line2: z.string().trim().max(200, 'At most 200 characters').default(''),
    city: z.string().trim().min(1, 'Enter the town or city').max(100, 'At most 100 characters'),
    region: z.string().trim().max(100, 'At most 100 characters').default(''),
    postalCode: z.string().trim().toUpperCase().max(16, 'At most 16 characters').default(''),
    country: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^[A-Z]{2}$/, 'Choose the country (two letters, such as GB or US)'),
  })
  .superRefine((address, ctx) => {
    const format = POSTAL_CODES[address.country];
    if (format && !format.pattern.test(address.postalCode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['postalCode'],
        message: `Enter a postal code such as ${format.example}`,
      });
    }
  });
export type Address = z.output<typeof addressSchema>;

/** One line for messages and lists: `1 High Street, London SW1A 1AA, GB`. */
export function formatAddress(address: Address): string {
  return [address.line1, address.line2, [address.city, address.region, address.postalCode].filter(Boolean).join(' ')]
    .filter(Boolean)
    .concat(address.country)
    .join(', ');
}

/** A date of birth, YYYY-MM-DD, in the past and plausible. */
export const dateOfBirthSchema = z
  .string()
  .trim()
  .refine(isCalendarDate, 'Enter your date of birth as YYYY-MM-DD')
  .refine((value) => value >= '1900-01-01', 'Enter your real date of birth')
  .refine((value) => value <= new Date().toISOString().slice(0, 10), 'A date of birth cannot be in the future');

/** Whole years from `dateOfBirth` to `on` (both YYYY-MM-DD): a birthday counts from its day. */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Profile fields a product may require before it is ordered. */
export const PROFILE_FIELDS = ['company', 'customerNumber', 'address', 'dateOfBirth'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

export const PROFILE_FIELD_LABELS: Record<ProfileField, string> = {
  company: 'company',
  customerNumber: 'customer number',
  address: 'address',
  dateOfBirth: 'date of birth',
};

/** What the customer keeps in their profile, as the account page edits it. */
export interface CustomerProfile {
  email: string;
  name: string | null;
  phone: string | null;
  company: string | null;
  customerNumber: string | null;
  address: Address | null;
  dateOfBirth: string | null;
}
