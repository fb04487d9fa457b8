import { describe, expect, it } from 'vitest';
import { signUpFormSchema, signUpInput } from './accounts';
import { addressSchema, ageOn, customerNumberSchema, formatAddress } from './customerProfile';
import { readServiceRules, serviceRulesSchema } from './serviceRules';

describe('the customer profile of seed 004', () => {
  it('checks a postal code against its country and normalises it', () => {
    const address = addressSchema.parse({
      line1: '1 High Street',
      city: 'London',
      postalCode: 'sw1a 1aa',
      country: 'gb',
    });
    expect(address).toMatchObject({ postalCode: 'SW1A 1AA', country: 'GB', line2: '', region: '' });
    expect(formatAddress(address)).toBe('1 High Street, London SW1A 1AA, GB');
    const wrong = addressSchema.safeParse({ line1: '1 Main St', city: 'SF', postalCode: 'ABC', country: 'US' });
    expect(wrong.error?.issues[0]).toMatchObject({
      path: ['postalCode'],
      message: 'Enter a postal code such as 94105',
    });
    expect(addressSchema.safeParse({ line1: 'Ring Road 4', city: 'Accra', country: 'GH' }).success).toBe(true);
  });

  it('counts age in whole years, a birthday counting from its day', () => {
    expect(ageOn('2009-03-30', '2027-03-29')).toBe(17);
    expect(ageOn('2009-03-30', '2027-03-30')).toBe(18);
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
  });

  it('asks for the email twice at sign-up, and refuses two different ones', () => {
    const base = { email: 'ama@example.com' };
    expect(signUpFormSchema.safeParse(base).success).toBe(false);
    const differ = signUpFormSchema.safeParse({ ...base, confirmEmail: 'ama@example.org' });
    expect(differ.error?.issues[0]).toMatchObject({
      path: ['confirmEmail'],
      message: 'The two email addresses are not the same',
    });
    expect(signUpFormSchema.safeParse({ ...base, confirmEmail: ' AMA@example.com' }).success).toBe(true);
    // API clients may leave it out.
    expect(signUpInput.safeParse(base).success).toBe(true);
    expect(customerNumberSchema.parse(' sf-00123 ')).toBe('SF-00123');
  });

  it('reads products without rules as imposing nothing, and a one-per-account rule needs its kind', () => {
    expect(readServiceRules({})).toMatchObject({ onePerAccount: false, serviceKind: null, requiredProfile: [] });
    expect(readServiceRules(null).oneServicePerOrder).toBe(false);
    const missing = serviceRulesSchema.safeParse({ onePerAccount: true });
    expect(missing.error?.issues[0]?.path).toEqual(['serviceKind']);
  });
});
