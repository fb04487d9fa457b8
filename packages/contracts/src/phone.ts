import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * A phone number in E.164 (`+233271234567`), read with libphonenumber-js: international forms as
 * they are, a national form (`027 123 4567`) as a number of `country`. Null for anything that is
 * not a valid number. Texts are only ever sent to numbers in this form.
 */
export function toE164(input: string, country?: CountryCode): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), country);
  return parsed?.isValid() ? parsed.number : null;
}

/** A number as people of its country write it (`027 123 4567`), or as given when it cannot be read. */
export function formatNationalPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatNational() ?? e164;
}

export type { CountryCode };
