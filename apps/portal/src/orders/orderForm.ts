import { customerContactSchema } from '@handover/contracts';
import { M365_DOMAIN_DRIVER, m365DomainOrderSchema } from '@handover/contracts/drivers/m365-domain';
import { manualInputSchema } from '@handover/contracts/drivers/manual';
import type { z } from 'zod';
import type { FieldErrors } from '../../forms/useZodForm';
import type { DomainEntry } from './M365DomainFields';

/** Everything the order form holds while the customer fills it in. */
export interface OrderFormValues {
  email: string;
  phone: string;
  quantity: number;
  gateway: string;
  /** Microsoft 365 domains (seed 000). */
  domains: DomainEntry[];
  /** What a managed product's customer asks for. */
  notes: string;
}

/** The checked order, ready for `checkout.create`. */
export interface CheckedOrder {
  email: string;
  phone: string | null;
  quantity: number;
  input: Record<string, unknown>;
  /** How many deliveries the line makes (one per domain); the price is per delivery. */
  parts: number;
}

/** Drivers whose lines are one form for many deliveries: ordered once, never in quantity. */
export const splitsIntoParts = (driver: string) => driver === M365_DOMAIN_DRIVER;

/**
 * Checks the form with the server's own schemas: the contact with checkout's, the product's
 * fields with its driver's. Errors are keyed by the field paths the form shows them at.
 */
export function checkOrderForm(
  driver: string,
  values: OrderFormValues,
): { ok: true; order: CheckedOrder } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const collect = (error: z.ZodError) => {
    for (const issue of error.issues) {
      const key = issue.path.join('.') || 'form';
      errors[key] = [...(errors[key] ?? []), issue.message];
    }
  };
  const phone = values.phone.trim() === '' ? null : values.phone;
  const contact = customerContactSchema.safeParse({ email: values.email, phone });
  if (!contact.success) collect(contact.error);

  let input: Record<string, unknown> = {};
  let parts = 1;
  if (driver === M365_DOMAIN_DRIVER) {
    // Seed 000 asks for a phone on this form: the driver's schema requires it.
    const form = {
      email: values.email,
      phone: values.phone,
      domains: values.domains.map((entry) => ({ ...entry, names: entry.names.filter((name) => name.trim() !== '') })),
    };
    const parsed = m365DomainOrderSchema.safeParse(form);
    if (parsed.success) {
      input = form;
      parts = parsed.data.domains.length;
    } else {
      const before = Object.keys(errors);
      collect(parsed.error);
      // The contact fields are checked by both schemas: say it once.
      for (const key of before) errors[key] = [...new Set(errors[key])];
    }
  } else if (driver === 'manual') {
    const parsed = manualInputSchema.safeParse({ notes: values.notes });
    if (parsed.success) input = parsed.data;
    else collect(parsed.error);
  }
  if (!Number.isInteger(values.quantity) || values.quantity < 1 || values.quantity > 10) {
    errors.quantity = ['Choose a quantity from 1 to 10'];
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    order: { email: contact.data?.email ?? values.email, phone, quantity: values.quantity, input, parts },
  };
}

/**
 * The server names a line's fields `items.0.input.domains.1.domain`; the form shows them at
 * `domains.1.domain`. Errors that belong to no field become the form's message.
 */
export function formPathsOf(serverErrors: FieldErrors): { fields: FieldErrors; general: string[] } {
  const fields: FieldErrors = {};
  const general: string[] = [];
  for (const [path, messages] of Object.entries(serverErrors)) {
    const field = path
      .replace(/^items\.0\.input\.?/, '')
      .replace(/^items\.0\./, '')
      .replace(/^items$/, '');
    if (field === '' || field === 'productId') general.push(...messages);
    else fields[field] = [...(fields[field] ?? []), ...messages];
  }
  return { fields, general };
}
