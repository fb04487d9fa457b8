import { z } from 'zod';

const SIZES: Record<string, [one: string, many: string]> = {
  string: ['character', 'characters'],
  array: ['item', 'items'],
  set: ['item', 'items'],
  file: ['byte', 'bytes'],
};

const FORMATS: Record<string, string> = {
  email: 'an email address, like name@example.com',
  url: 'a web address starting with https://',
  uuid: 'a valid reference (it may have been deleted; reload the page)',
  ipv4: 'an IPv4 address, like 203.0.113.7',
  e164: 'a phone number with its country code, like +233241234567',
  date: 'a date',
  datetime: 'a date and time',
};

const count = (n: number | bigint, origin: string): string => {
  const unit = SIZES[origin];
  return unit ? `${n} ${Number(n) === 1 ? unit[0] : unit[1]}` : String(n);
};

const choices = (values: readonly unknown[]): string => values.map((v) => String(v).replace(/_/g, ' ')).join(', ');

/**
 * What a person is told when a value is refused and its schema gave no message of its own: what
 * to do, not what zod expected ("Enter at least 2 characters", not "Too small: expected string
 * to have >=2 characters"). Schemas that name their own message keep it.
 */
export function humanErrorMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return 'Fill this in';
      if (issue.expected === 'int' && typeof issue.input === 'number') return 'Enter a whole number';
      if (issue.expected === 'number' || issue.expected === 'int') return 'Enter a number';
      if (issue.expected === 'boolean') return 'Choose yes or no';
      if (issue.expected === 'array') return 'Choose at least one';
      return 'Fill this in with text';
    case 'too_small': {
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'Fill this in';
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at least ${count(issue.minimum, 'array')}`;
      if (SIZES[issue.origin]) return `Enter at least ${count(issue.minimum, issue.origin)}`;
      return issue.inclusive === false ? `Enter a number above ${issue.minimum}` : `Enter ${issue.minimum} or more`;
    }
    case 'too_big': {
      if (issue.origin === 'array' || issue.origin === 'set') return `Choose at most ${count(issue.maximum, 'array')}`;
      if (SIZES[issue.origin]) return `Keep this to ${count(issue.maximum, issue.origin)} or fewer`;
      return issue.inclusive === false ? `Enter a number below ${issue.maximum}` : `Enter ${issue.maximum} or less`;
    }
    case 'invalid_format': {
      const format = issue.format as string;
      if (format === 'regex') return 'This is not in the expected form';
      const what = FORMATS[format];
      return what ? `Enter ${what}` : `Enter a valid ${format.replace(/_/g, ' ')}`;
    }
    case 'invalid_value':
      return issue.values.length === 1 ? `Must be ${choices(issue.values)}` : `Choose one of: ${choices(issue.values)}`;
    case 'not_multiple_of':
      return Number(issue.divisor) === 1 ? 'Enter a whole number' : `Enter a multiple of ${issue.divisor}`;
    case 'unrecognized_keys':
      return `Not a field here: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
}

/** Makes humanErrorMessage zod's message for every schema in this process or page; each app calls it once at start. */
export function installHumanErrorMessages(): void {
  z.config({ customError: humanErrorMessage });
}
