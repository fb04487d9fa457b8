import { describe, expect, it } from 'vitest';
import { formatNationalPhone, toE164 } from '../../phone';
import { checkBundlePhone, dataBundleConfigSchema, dataBundleInputSchema, sizeLabel } from '.';

function fieldErrors(input: unknown): Record<string, string[]> {
  const result = dataBundleInputSchema.safeParse(input);
  if (result.success) return {};
  const out: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const key = issue.path.join('.');
    out[key] = [...(out[key] ?? []), issue.message];
  }
  return out;
}

describe('checkBundlePhone (seed 002 error 1, before payment)', () => {
  it('accepts an AirtelTigo number in any form people write it, as E.164', () => {
    for (const input of ['0271234567', '027 123 4567', '+233 27 123 4567', '233571234567', ' 026-123-4567 ']) {
      const checked = checkBundlePhone('AT-iShare', input);
      expect(checked.ok, input).toBe(true);
    }
    expect(checkBundlePhone('AT-iShare', '0271234567')).toEqual({
      ok: true,
      e164: '+233271234567',
      national: '027 123 4567',
    });
  });

  it("refuses another operator's number, saying which prefixes the network takes", () => {
    expect(checkBundlePhone('AT-iShare', '0241234567')).toEqual({
      ok: false,
      message: '024 123 4567 is not an AirtelTigo number: AT-iShare data goes to numbers starting 026, 027, 056 or 057',
    });
    expect(checkBundlePhone('MTN', '0241234567').ok).toBe(true);
    expect(checkBundlePhone('Telecel', '0501234567').ok).toBe(true);
    expect(checkBundlePhone('Telecel', '0271234567')).toMatchObject({
      ok: false,
      message: expect.stringContaining('not a Telecel number'),
    });
  });

  it('refuses what is not a Ghana mobile number', () => {
    for (const input of ['027123456', '+14155550100', 'not a number', '0302123456']) {
      const checked = checkBundlePhone('AT-iShare', input);
      expect(checked.ok, input).toBe(false);
    }
    expect(checkBundlePhone('AT-iShare', '027123456')).toEqual({
      ok: false,
      message: 'Enter a Ghana mobile number such as 026 123 4567',
    });
    expect(checkBundlePhone('AT-iShare', '  ')).toEqual({
      ok: false,
      message: 'Enter the phone number the data goes to',
    });
  });
});

describe('dataBundleInputSchema', () => {
  it('keeps the number in E.164, so a record, its logs and its texts name it one way', () => {
    expect(dataBundleInputSchema.parse({ network: 'AT-iShare', sizeGb: 10, phoneNumber: '027 123 4567' })).toEqual({
      network: 'AT-iShare',
      sizeGb: 10,
      phoneNumber: '+233271234567',
    });
  });

  it('puts each problem under its field', () => {
    expect(fieldErrors({ network: 'Glo', sizeGb: 1.5, phoneNumber: '0271234567' })).toEqual({
      network: ['Choose a network: AT-iShare, MTN, Telecel'],
      sizeGb: ['Give the bundle size in whole gigabytes'],
    });
    expect(fieldErrors({ network: 'AT-iShare', sizeGb: 5, phoneNumber: '0551234567' })).toEqual({
      phoneNumber: [expect.stringContaining('055 123 4567 is not an AirtelTigo number')],
    });
  });
});

describe('a package', () => {
  it('names a network and a whole number of gigabytes, written as the seed writes sizes', () => {
    expect(dataBundleConfigSchema.parse({ network: 'MTN', sizeGb: 10 })).toEqual({ network: 'MTN', sizeGb: 10 });
    expect(dataBundleConfigSchema.safeParse({ network: 'AT-iShare', sizeGb: 0 }).success).toBe(false);
    expect(sizeLabel(10)).toBe('10GB');
  });
});

describe('phone numbers for texts', () => {
  it('reads national and international forms as E.164, and writes them back the national way', () => {
    expect(toE164('027 123 4567', 'GH')).toBe('+233271234567');
    expect(toE164('+233271234567')).toBe('+233271234567');
    expect(toE164('0271234567')).toBeNull();
    expect(toE164('12', 'GH')).toBeNull();
    expect(formatNationalPhone('+233271234567')).toBe('027 123 4567');
  });
});
