import { describe, expect, it } from 'vitest';
import { isDomainName, normalizeHostname } from './hostname';

describe('normalizeHostname', () => {
  it('lower-cases, trims and drops the trailing root dot', () => {
    expect(normalizeHostname('  NS1.PlugSaaS.com. ')).toBe('ns1.plugsaas.com');
  });

  it('turns an internationalised name into its punycode form', () => {
    expect(normalizeHostname('ns1.München.de')).toBe('ns1.xn--mnchen-3ya.de');
    expect(normalizeHostname('NS1.XN--MNCHEN-3YA.DE.')).toBe('ns1.xn--mnchen-3ya.de');
  });

  it('keeps a name that is not a valid host name comparable with itself', () => {
    expect(normalizeHostname('Not A Host.')).toBe('not a host');
  });
});

describe('isDomainName', () => {
  it('accepts domain names, internationalised ones and a trailing dot included', () => {
    for (const name of ['mybusiness.com', 'NS1.PlugSaaS.com.', 'bücher.de', 'xn--bcher-kva.de', 'a-b.co.uk']) {
      expect(isDomainName(name)).toBe(true);
    }
  });

  it('refuses a name the URL parser would cut short or unescape (a path, a port, a user, an escape)', () => {
    for (const name of ['evil.com/x', 'evil.com:8080', 'me@evil.com', 'ex%41mple.com', 'evil.com?x', 'evil.com#x']) {
      expect(isDomainName(name)).toBe(false);
    }
  });

  it('refuses IP addresses, in any of the forms the URL parser reads as one', () => {
    for (const name of ['1.2.3.4', '0x7f.1', '127.1']) expect(isDomainName(name)).toBe(false);
  });

  it('refuses single labels, spaces, bad hyphens, empty or over-long labels and over-long names', () => {
    const tooLong = `${Array.from({ length: 50 }, () => 'abcde').join('.')}.com`;
    for (const name of [
      '',
      'localhost',
      'my business.com',
      '-bad.com',
      'bad-.com',
      'a..b',
      `${'a'.repeat(64)}.com`,
      tooLong,
    ]) {
      expect(isDomainName(name)).toBe(false);
    }
  });
});
