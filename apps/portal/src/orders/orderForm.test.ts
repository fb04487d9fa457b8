import { describe, expect, it } from 'vitest';
import { checkOrderForm, formPathsOf, type OrderFormValues } from './orderForm';

const values = (patch: Partial<OrderFormValues> = {}): OrderFormValues => ({
  email: 'Ama@Example.com ',
  phone: '+233 24 123 4567',
  quantity: 1,
  gateway: 'sandbox',
  domains: [{ domain: 'Bright.com', forwardingUrl: 'https://bright.com', names: ['Ama', ''] }],
  notes: '',
  ...patch,
});

describe('checkOrderForm', () => {
  it('passes a Microsoft 365 form as the server will read it, priced per domain', () => {
    const checked = checkOrderForm(
      'm365-domain',
      values({
        domains: [
          { domain: 'bright.com', forwardingUrl: 'https://bright.com', names: ['Ama', ''] },
          { domain: 'bright.org', forwardingUrl: 'https://bright.org', names: ['Kofi'] },
        ],
      }),
    );
    expect(checked).toEqual({
      ok: true,
      order: {
        email: 'ama@example.com',
        phone: '+233 24 123 4567',
        quantity: 1,
        parts: 2,
        input: {
          email: 'Ama@Example.com ',
          phone: '+233 24 123 4567',
          domains: [
            { domain: 'bright.com', forwardingUrl: 'https://bright.com', names: ['Ama'] },
            { domain: 'bright.org', forwardingUrl: 'https://bright.org', names: ['Kofi'] },
          ],
        },
      },
    });
  });

  it("keys each error at the field that shows it, with the shared schema's words", () => {
    const checked = checkOrderForm(
      'm365-domain',
      values({
        email: 'not-an-email',
        phone: '',
        domains: [
          { domain: 'bright.com', forwardingUrl: 'ftp://x', names: [''] },
          { domain: 'BRIGHT.com', forwardingUrl: 'https://b.com', names: ['A'] },
        ],
      }),
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toMatchObject({
      email: ['Enter a valid email address'],
      phone: [expect.stringMatching(/phone number/)],
      'domains.0.forwardingUrl': ['Enter a web address starting with http:// or https://'],
      'domains.0.names': ['Give at least one name'],
      'domains.1.domain': ['bright.com is already in this order'],
    });
    expect(checked.errors.email).toHaveLength(1);
  });

  it('leaves the phone optional for a managed product, and checks its notes and quantity', () => {
    expect(checkOrderForm('manual', values({ phone: ' ', notes: 'Set up my shop', quantity: 3 }))).toMatchObject({
      ok: true,
      order: { phone: null, quantity: 3, parts: 1, input: { notes: 'Set up my shop' } },
    });
    const refused = checkOrderForm('manual', values({ notes: 'x'.repeat(2001), quantity: 11 }));
    expect(refused).toMatchObject({
      ok: false,
      errors: { notes: [expect.any(String)], quantity: [expect.any(String)] },
    });
  });
});

describe('formPathsOf', () => {
  it("moves the server's line paths onto the form's, and keeps the rest for the form's message", () => {
    expect(
      formPathsOf({
        'items.0.input.domains.1.domain': ['bright.org is already set up'],
        'items.0.quantity': ['Order it once'],
        email: ['Enter a valid email address'],
        'items.0.productId': ['This product is not on sale.'],
        items: ['One currency per order'],
      }),
    ).toEqual({
      fields: {
        'domains.1.domain': ['bright.org is already set up'],
        quantity: ['Order it once'],
        email: ['Enter a valid email address'],
      },
      general: ['This product is not on sale.', 'One currency per order'],
    });
  });
});
