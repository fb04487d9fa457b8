import { PermanentError } from '@handover/core';
import { describe, expect, it } from 'vitest';
import { queryName } from './domainName';

describe('queryName', () => {
  it('asks for a domain in lower-case ASCII, internationalised names in punycode', () => {
    expect(queryName('MyBusiness.com.')).toBe('mybusiness.com');
    expect(queryName('bücher.example')).toBe('xn--bcher-kva.example');
  });

  it('refuses what is not a domain name, as a permanent error', () => {
    for (const bad of ['', 'localhost', 'my business.com', '-bad.com', `${'a'.repeat(64)}.com`]) {
      expect(() => queryName(bad)).toThrow(PermanentError);
    }
  });
});
