import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';

/**
 * Where outbound webhooks may go. Public addresses always; the networks listed here too (tests
 * and development list the loopback range, to reach a receiver on the same machine). Everything
 * else that is not the public internet (private ranges, loopback, link-local and the cloud
 * metadata address, carrier-grade NAT, multicast, documentation and reserved ranges) is refused,
 * so that an endpoint cannot make Handover call into its own network.
 */
export interface WebhookTargetPolicy {
  /** CIDRs (`127.0.0.0/8`, `::1/128`) of non-public space that endpoints may still reach. */
  allowedNetworks: readonly string[];
}

const NOT_PUBLIC_V4 = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '192.88.99.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

const NOT_PUBLIC_V6 = [
  '::/128',
  '::1/128',
  '64:ff9b::/96',
  '64:ff9b:1::/48',
  '100::/64',
  '2001::/32',
  '2001:db8::/32',
  '2002::/16',
  'fc00::/7',
  'fe80::/10',
  'fec0::/10',
  'ff00::/8',
];

const notPublic = new BlockList();
for (const cidr of NOT_PUBLIC_V4) addCidr(notPublic, cidr);
for (const cidr of NOT_PUBLIC_V6) addCidr(notPublic, cidr);

function addCidr(list: BlockList, cidr: string): void {
  const [address, prefix] = cidr.split('/');
  const family = isIP(address ?? '');
  const bits = Number(prefix);
  if (!address || family === 0 || !Number.isInteger(bits) || bits < 0 || bits > (family === 4 ? 32 : 128)) {
    throw new Error(`"${cidr}" is not a network like 127.0.0.0/8 or ::1/128`);
  }
  list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
}

/** Checks a list of CIDRs, for the env schemas: the first bad one is named. */
export function parseNetworks(text: string): string[] {
  const networks = text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  const list = new BlockList();
  for (const cidr of networks) addCidr(list, cidr);
  return networks;
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it is. */
function normalise(address: string): { address: string; family: 'ipv4' | 'ipv6' } | null {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return { address: mapped[1], family: 'ipv4' };
  const family = isIP(address);
  if (family === 0) return null;
  return { address, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/** A compiled policy: which addresses a delivery may connect to. */
export class WebhookTargetGuard {
  private readonly allowed = new BlockList();

  constructor(readonly policy: WebhookTargetPolicy) {
    for (const cidr of policy.allowedNetworks) addCidr(this.allowed, cidr);
  }

  /** Why `address` may not be reached, or null when it may. */
  refusal(address: string): string | null {
    const ip = normalise(address);
    if (!ip) return `${address} is not an IP address`;
    if (this.allowed.check(ip.address, ip.family)) return null;
    if (notPublic.check(ip.address, ip.family)) {
      return `${address} is a private, loopback, link-local or reserved address`;
    }
    return null;
  }

  /** Whether `address` is reachable only because the policy lists its network (development's loopback). */
  isAllowedPrivate(address: string): boolean {
    const ip = normalise(address);
    return ip !== null && this.allowed.check(ip.address, ip.family) && notPublic.check(ip.address, ip.family);
  }

  /**
   * A `lookup` for http.request: resolves the host and fails the request when any of its
   * addresses is refused, so the connection goes to an address that was checked (a name that
   * resolves differently on a second look cannot slip through).
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : (options.family ?? 0);
    dnsLookup(hostname, { all: true, family }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, []);
      const refused = addresses.map((a) => this.refusal(a.address)).find((reason) => reason !== null);
      if (refused) return callback(new TargetRefusedError(`${hostname} resolves to ${refused}`), []);
      if (options.all) return callback(null, addresses);
      const [first] = addresses;
      if (!first) return callback(new TargetRefusedError(`${hostname} has no address`), []);
      callback(null, first.address, first.family);
    });
  };

  /**
   * Checks an endpoint's address before it is saved or called: https (plain http only to a
   * network the policy allows), and every address its host resolves to allowed.
   */
  async check(url: string): Promise<string | null> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return 'not a URL';
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'only https:// addresses';
    if (parsed.username || parsed.password) return 'no user name or password in the address';
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    let addresses: string[];
    if (isIP(host)) {
      addresses = [host];
    } else {
      try {
        addresses = await new Promise<string[]>((resolve, reject) =>
          dnsLookup(host, { all: true }, (error, found) =>
            error ? reject(error) : resolve(found.map((a) => a.address)),
          ),
        );
      } catch {
        return `${host} cannot be found`;
      }
    }
    for (const address of addresses) {
      const refused = this.refusal(address);
      if (refused) return isIP(host) ? refused : `${host} resolves to ${refused}`;
    }
    if (parsed.protocol === 'http:' && !addresses.every((address) => this.isAllowedPrivate(address))) {
      return 'only https:// addresses (plain http only to a development network)';
    }
    return null;
  }
}

/** A delivery's target resolved to an address the policy refuses. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = 'ETARGETREFUSED';
}
