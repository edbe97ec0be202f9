import { BlockList, isIP } from 'node:net';
import { isLoopbackHost } from '../../shared/listen-address.js';

/**
 * The login allow-list, as pure functions: a list of addresses and CIDR ranges (IPv4 and IPv6)
 * from which logins are accepted. Loopback, the local console, is always accepted whatever the
 * list says, so the list can never lock the owner out of the device itself.
 */

/** An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; compare it as the IPv4 address it is. */
export function normaliseAddress(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

/** `10.0.0.0/8`, `192.168.1.20`, `2001:db8::/32`, `::1`; null if the entry is none of these. */
export function parseAllowListEntry(entry: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | null {
  const [address = '', prefixText, ...rest] = entry.trim().split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return null;
  const family = version === 4 ? 'ipv4' : 'ipv6';
  const max = version === 4 ? 32 : 128;
  if (prefixText === undefined) return { address, prefix: max, family };
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > max) return null;
  return { address, prefix: Number(prefixText), family };
}

/** Does some entry of the list contain `ip`? The loopback exemption is not applied here. */
export function isListed(ip: string, list: readonly string[]): boolean {
  const address = normaliseAddress(ip);
  const family = isIP(address) === 4 ? 'ipv4' : isIP(address) === 6 ? 'ipv6' : null;
  if (!family) return false;
  const ranges = new BlockList();
  for (const entry of list) {
    const parsed = parseAllowListEntry(entry);
    if (parsed) ranges.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return ranges.check(address, family);
}

/** May someone at `ip` log in? Always from loopback; otherwise only from a listed address. */
export function isAllowed(ip: string, list: readonly string[]): boolean {
  return isLoopbackHost(normaliseAddress(ip)) || isListed(ip, list);
}
