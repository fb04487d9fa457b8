import { describe, expect, it } from 'vitest';
import { checkOrderForm, type OrderFormValues } from '../../orders/orderForm';
import { views } from '.';
import { initialValues, type Values, withInboxes } from './values';

const filled = (patch: Partial<Values> = {}): Values => ({
  ...withInboxes(initialValues(), 2),
  domains: 'brightbakery.com, brightbakery.org',
  prefixVariants: [
    { prefix: 'ama', firstName: 'Ama', lastName: 'Mensah' },
    { prefix: 'sales', firstName: 'Kofi', lastName: 'Boateng' },
  ],
  hostingPlatform: 'spaceship',
  credentials: { ...initialValues().credentials, spaceshipApiKey: 'key-1234', spaceshipApiSecret: 'secret' },
  ...patch,
});
const form = (line: Values): OrderFormValues<Values> => ({
  email: 'ama@example.com',
  phone: '',
  quantity: 1,
  gateway: 'sandbox',
  line,
});

describe('the private SMTP order form', () => {
  it('passes a filled form, priced per domain, with the credentials for checkout to save apart', () => {
    const checked = checkOrderForm(views.orderForm, form(filled()));
    expect(checked).toMatchObject({ ok: true, order: { parts: 2, phone: null, quantity: 1 } });
    if (!checked.ok) return;
    expect(checked.order.input).toMatchObject({
      domains: 'brightbakery.com, brightbakery.org',
      hostingPlatform: 'spaceship',
      credentials: { spaceshipApiKey: 'key-1234' },
    });
  });

  it('keeps one prefix row per inbox', () => {
    expect(withInboxes(filled(), 3).prefixVariants).toHaveLength(3);
    expect(withInboxes(filled(), 1).prefixVariants).toEqual([{ prefix: 'ama', firstName: 'Ama', lastName: 'Mensah' }]);
  });

  it('shows each refusal at its field, before anything is sent', () => {
    const checked = checkOrderForm(
      views.orderForm,
      form(
        filled({
          domains: 'bright.com\nbright.com',
          prefixVariants: [
            { prefix: 'ama mensah', firstName: 'Ama', lastName: 'Mensah' },
            { prefix: 'sales', firstName: 'Kofi', lastName: '' },
          ],
          hostingPlatform: 'namecheap',
        }),
      ),
    );
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.errors).toEqual({
      domains: ['Line 2: bright.com is already on line 1'],
      'prefixVariants.0.prefix': ['Use only letters, digits, dots, dashes and underscores (no spaces or @)'],
      'prefixVariants.1.lastName': ['Enter the last name'],
      'credentials.namecheapApiUser': ['Enter your Namecheap API user (your Namecheap login)'],
      'credentials.namecheapApiKey': ['Enter your Namecheap API key'],
      'credentials.namecheapIpAllowlisted': ['Confirm that our IP address is on your Namecheap API allow-list'],
      'credentials.namecheapBackupCodes': ['Enter your Namecheap backup codes'],
    });
  });

  it('asks for the registrar when none is chosen', () => {
    const checked = checkOrderForm(views.orderForm, form(filled({ hostingPlatform: '' })));
    expect(checked.ok ? {} : checked.errors).toEqual({
      hostingPlatform: ['Choose where your domains are registered: Spaceship or Namecheap'],
    });
  });
});
