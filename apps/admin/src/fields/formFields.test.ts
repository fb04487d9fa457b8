import { describe, expect, it } from 'vitest';
import { fieldLabel } from './FormFields';

describe("an order form's field names as people read them", () => {
  it('splits camelCase and snake_case into words, with acronyms in capitals', () => {
    expect(fieldLabel('forwardingUrl')).toBe('Forwarding URL');
    expect(fieldLabel('microsoft_email')).toBe('Microsoft email');
    expect(fieldLabel('domains')).toBe('Domains');
  });
});
