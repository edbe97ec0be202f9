import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT`, `[IPv6]:PORT` or `:PORT` (all interfaces). */
export function parseListenAddress(value: string): ListenAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(value.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new Error(`"${value}" is not HOST:PORT (for example 127.0.0.1:8080, [::1]:8080 or 0.0.0.0:443)`);
  }
  return { host: match[1] ?? (match[2] || '0.0.0.0'), port };
}

/** Plain HTTP is allowed only where nobody else can listen in: the loopback interface. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/** The URL a person types for this address (wildcards are shown as the loopback address). */
export function urlFor(address: ListenAddress, https: boolean): string {
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host === '::' ? '[::1]' : address.host;
  const shown = isIP(host) === 6 ? `[${host}]` : host;
  return `${https ? 'https' : 'http'}://${shown}:${address.port}`;
}
