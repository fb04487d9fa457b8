import type { DriverViews } from '../types';

type Values = Record<string, never>;

/**
 * Seed 004's billed services (WHMCS): nothing to fill in; the service is billed to the customer's
 * WHMCS account, whose payment method the order form checks first.
 */
export const views: DriverViews<Values> = {
  orderForm: {
    initialValues: () => ({}),
    Fields: () => (
      <p className="hint">Billed to your account each period, with the payment method you keep on file with us.</p>
    ),
    check: () => ({ ok: true, input: {}, parts: 1 }),
    Summary: () => null,
    phone: { required: false, hint: 'Optional; for messages about your service.' },
    quantity: { kind: 'units' },
  },
};
