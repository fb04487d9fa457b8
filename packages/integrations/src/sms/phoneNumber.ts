import { PermanentError } from '@handover/core';
import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * `to` when it is a valid phone number written in E.164 (`+233271234567`: a plus, the country
 * code, the number, nothing else); otherwise a PermanentError `invalid_phone`, as no retry can
 * make a wrong number right.
 */
export function e164(to: string): string {
  const parsed = to.startsWith('+') ? parsePhoneNumberFromString(to) : undefined;
  if (!parsed?.isValid() || parsed.number !== to) {
    throw new PermanentError(`"${to}" is not a phone number in E.164 form, such as +233271234567`, 'invalid_phone');
  }
  return parsed.number;
}
