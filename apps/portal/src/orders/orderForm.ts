import { customerContactSchema } from '@handover/contracts';
import type { DriverOrderForm } from '../drivers/types';
import { fieldErrorsOf } from '../forms/fieldErrors';
import type { FieldErrors } from '../forms/useZodForm';

/** Everything the order form holds while the customer fills it in; `line` is the driver's own part. */
export interface OrderFormValues<Line = unknown> {
  email: string;
  phone: string;
  quantity: number;
  gateway: string;
  line: Line;
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

/**
 * Checks the form with the server's own schemas: the contact with checkout's, the line with its
 * driver's. Errors are keyed by the field paths the form shows them at, each message once.
 */
export function checkOrderForm<Line>(
  form: DriverOrderForm<Line>,
  values: OrderFormValues<Line>,
  options: Record<string, unknown> = {},
): { ok: true; order: CheckedOrder } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const phone = values.phone.trim() === '' ? null : values.phone;
  const contact = customerContactSchema.safeParse({ email: values.email, phone });
  if (!contact.success) fieldErrorsOf(contact.error, errors);

  const line = form.check(values.line, { email: values.email, phone: values.phone }, options);
  if (!line.ok) {
    for (const [key, messages] of Object.entries(line.errors)) {
      errors[key] = [...new Set([...(errors[key] ?? []), ...messages])];
    }
  }
  const inQuantity = form.quantity.kind === 'units';
  if (inQuantity && (!Number.isInteger(values.quantity) || values.quantity < 1 || values.quantity > 10)) {
    errors.quantity = ['Choose a quantity from 1 to 10'];
  }
  if (!line.ok || Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    order: {
      email: contact.data?.email ?? values.email,
      phone,
      quantity: inQuantity ? values.quantity : 1,
      input: line.input,
      parts: line.parts,
    },
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
    // The profile's fields (seed 004) are filled in on the account page, not here.
    if (field === '' || field === 'productId' || field.startsWith('profile.')) general.push(...messages);
    else fields[field] = [...(fields[field] ?? []), ...messages];
  }
  return { fields, general };
}
