import { describe, expect, it } from 'vitest';
import { checkOrderForm, type OrderFormValues } from '../../orders/orderForm';
import { views } from '.';

type Line = Parameters<typeof views.orderForm.check>[0];

const values = (patch: Partial<OrderFormValues<Line>> = {}): OrderFormValues<Line> => ({
  email: 'Ama@Example.com ',
  phone: '+233 24 123 4567',
  quantity: 1,
  gateway: 'sandbox',
  line: { domains: [{ domain: 'Bright.com', forwardingUrl: 'https://bright.com', names: ['Ama', ''] }] },
  ...patch,
});
const domains = (entries: Line['domains']) => ({ line: { domains: entries } });

describe('the Microsoft 365 order form', () => {
  it('passes a Microsoft 365 form as the server will read it, priced per domain', () => {
    const checked = checkOrderForm(
      views.orderForm,
      values({
        ...domains([
          { domain: 'bright.com', forwardingUrl: 'https://bright.com', names: ['Ama', ''] },
          { domain: 'bright.org', forwardingUrl: 'https://bright.org', names: ['Kofi'] },
        ]),
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
      views.orderForm,
      values({
        email: 'not-an-email',
        phone: '',
        ...domains([
          { domain: 'bright.com', forwardingUrl: 'ftp://x', names: [''] },
          { domain: 'BRIGHT.com', forwardingUrl: 'https://b.com', names: ['A'] },
        ]),
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
});
