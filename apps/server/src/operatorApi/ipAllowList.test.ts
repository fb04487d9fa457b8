import { describe, expect, it } from 'vitest';
import { envIpAllowList } from './ipAllowList';

describe('PROVISION_ALLOWED_IPS', () => {
  it('allows exact addresses and CIDR ranges, IPv4 and IPv6, and an IPv4 client seen on a dual-stack socket', () => {
    const list = envIpAllowList.parse('203.0.113.0/24, 198.51.100.7 ,2001:db8::/32');
    expect(list?.entries).toEqual(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32']);
    for (const ip of ['203.0.113.9', '198.51.100.7', '::ffff:203.0.113.200', '2001:db8::1']) {
      expect(list?.allows(ip)).toBe(true);
    }
    for (const ip of ['203.0.114.1', '198.51.100.8', '127.0.0.1', '::1', '2001:db9::1', 'not-an-ip']) {
      expect(list?.allows(ip)).toBe(false);
    }
  });

  it('lets every address through when unset or empty', () => {
    expect(envIpAllowList.parse(undefined)).toBeNull();
    expect(envIpAllowList.parse(' , ')).toBeNull();
  });

  it('names each entry it cannot read', () => {
    const parsed = envIpAllowList.safeParse('10.0.0.0/33, example.com, 10.1.2.3');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual([
      '"10.0.0.0/33" has a bad prefix length',
      '"example.com" is not an IP address or CIDR range',
    ]);
  });
});
