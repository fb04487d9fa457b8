import { describe, expect, it } from 'vitest';
import { nameserversMatch } from './nameserversMatch';

describe('nameserversMatch', () => {
  const expected = ['ns1.plugsaas.com', 'ns2.plugsaas.com'];

  it('matches when the answer holds exactly the expected nameservers, in any order', () => {
    expect(nameserversMatch(expected, ['ns2.plugsaas.com', 'ns1.plugsaas.com'])).toBe(true);
  });

  it('ignores case and trailing dots on either side', () => {
    expect(nameserversMatch(['NS1.PlugSaaS.com.', 'ns2.plugsaas.com'], ['ns1.plugsaas.com', 'NS2.PLUGSAAS.COM.'])).toBe(
      true,
    );
  });

  it('compares internationalised nameservers in their ASCII form', () => {
    expect(nameserversMatch(['ns1.bücher.example'], ['ns1.xn--bcher-kva.example.'])).toBe(true);
    expect(nameserversMatch(['ns1.xn--bcher-kva.example'], ['NS1.Bücher.Example'])).toBe(true);
  });

  it('accepts extra nameservers beside the expected ones', () => {
    expect(nameserversMatch(expected, [...expected, 'ns3.other-host.net'])).toBe(true);
  });

  it('does not match while one expected nameserver is missing', () => {
    expect(nameserversMatch(expected, ['ns1.plugsaas.com', 'ns1.old-registrar.net'])).toBe(false);
  });

  it('does not match an empty answer (NXDOMAIN or not delegated yet)', () => {
    expect(nameserversMatch(expected, [])).toBe(false);
  });

  it('does not match when nothing was expected, so an order without nameservers is never verified', () => {
    expect(nameserversMatch([], ['ns1.plugsaas.com'])).toBe(false);
  });

  it('does not take a look-alike host for the expected one', () => {
    expect(nameserversMatch(['ns1.plugsaas.com'], ['ns1.plugsaas.com.evil.net', 'ns1-plugsaas.com'])).toBe(false);
  });
});
