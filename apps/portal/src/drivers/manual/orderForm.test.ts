import { describe, expect, it } from 'vitest';
import { checkOrderForm, type OrderFormValues } from '../../orders/orderForm';
import { views } from '.';

const values = (patch: Partial<OrderFormValues<{ notes: string }>> = {}): OrderFormValues<{ notes: string }> => ({
  email: 'Ama@Example.com ',
  phone: '+233 24 123 4567',
  quantity: 1,
  gateway: 'sandbox',
  line: { notes: '' },
  ...patch,
});

describe('the managed setup order form', () => {
  it('leaves the phone optional for a managed product, and checks its notes and quantity', () => {
    expect(
      checkOrderForm(views.orderForm, values({ phone: ' ', line: { notes: 'Set up my shop' }, quantity: 3 })),
    ).toMatchObject({
      ok: true,
      order: { phone: null, quantity: 3, parts: 1, input: { notes: 'Set up my shop' } },
    });
    const refused = checkOrderForm(views.orderForm, values({ line: { notes: 'x'.repeat(2001) }, quantity: 11 }));
    expect(refused).toMatchObject({
      ok: false,
      errors: { notes: [expect.any(String)], quantity: [expect.any(String)] },
    });
  });
});
