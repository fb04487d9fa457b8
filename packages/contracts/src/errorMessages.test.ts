import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { installHumanErrorMessages } from './errorMessages';
import { productInputSchema } from './products';

const messages = (schema: z.ZodType, value: unknown) =>
  schema.safeParse(value).error?.issues.map((issue) => [issue.path.join('.'), issue.message]);

describe('the messages people see for a refused value', () => {
  beforeAll(installHumanErrorMessages);

  it('says what to do instead of what zod expected', () => {
    expect(messages(z.object({ name: z.string().min(2) }), { name: 'a' })).toEqual([
      ['name', 'Enter at least 2 characters'],
    ]);
    expect(messages(z.object({ name: z.string() }), {})).toEqual([['name', 'Fill this in']]);
    expect(messages(z.string().max(3), 'abcd')).toEqual([['', 'Keep this to 3 characters or fewer']]);
    expect(messages(z.number().int().min(0), -1)).toEqual([['', 'Enter 0 or more']]);
    expect(messages(z.number().int(), 1.5)).toEqual([['', 'Enter a whole number']]);
    expect(messages(z.number(), 'x')).toEqual([['', 'Enter a number']]);
    expect(messages(z.email(), 'nope')).toEqual([['', 'Enter an email address, like name@example.com']]);
    expect(messages(z.enum(['month', 'year']), 'week')).toEqual([['', 'Choose one of: month, year']]);
    expect(messages(z.array(z.string()).min(1), [])).toEqual([['', 'Choose at least 1 item']]);
  });

  it('keeps a message a schema gives itself', () => {
    expect(messages(productInputSchema, { slug: 'Not A Slug' })).toContainEqual([
      'slug',
      'lower-case letters, digits and single dashes',
    ]);
  });
});
