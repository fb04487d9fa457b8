import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/** Addresses allowed to call the signed operator API: exact addresses and CIDR ranges, IPv4 or IPv6. */
export interface IpAllowList {
  entries: string[];
  allows(ip: string): boolean;
}

/** `::ffff:10.0.0.1` (an IPv4 client on a dual-stack socket) is 10.0.0.1. */
function plain(ip: string): string {
  return ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
}

function parseEntry(entry: string, list: BlockList): string | null {
  const [address = '', prefix] = entry.split('/');
  const family = isIP(address);
  if (family === 0) return `"${entry}" is not an IP address or CIDR range`;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (prefix === undefined) {
    list.addAddress(address, type);
    return null;
  }
  const bits = Number(prefix);
  if (!/^\d{1,3}$/.test(prefix) || bits > (family === 4 ? 32 : 128)) return `"${entry}" has a bad prefix length`;
  list.addSubnet(address, bits, type);
  return null;
}

/**
 * `PROVISION_ALLOWED_IPS`: seed 004's IP allow-listing of the operator system's calls to
 * `/provision`, comma-separated (`203.0.113.0/24, 2001:db8::/32, 198.51.100.7`). Unset or empty:
 * any address may call (the signature still decides).
 */
export const envIpAllowList = z
  .string()
  .optional()
  .transform((value, ctx): IpAllowList | null => {
    const entries = (value ?? '')
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) return null;
    const list = new BlockList();
    for (const entry of entries) {
      const problem = parseEntry(entry, list);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
    return {
      entries,
      allows(ip) {
        const address = plain(ip);
        const family = isIP(address);
        return family !== 0 && list.check(address, family === 4 ? 'ipv4' : 'ipv6');
      },
    };
  });
