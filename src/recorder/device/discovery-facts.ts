import { networkInterfaces } from 'node:os';
import { certificateFingerprint, MAX_ADDRESSES, type DeviceFacts } from '../../discovery/protocol.js';
import type { ListenAddress } from '../../shared/listen-address.js';

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** The IPv4 addresses of this host's LAN interfaces (as many as an answer carries). */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
    .map((nic) => nic!.address)
    .slice(0, MAX_ADDRESSES);
}

/** Where the recorder's API answers, as a discovery answer says it: the listen address, or every LAN address for a wildcard one. */
export function apiEndpoint(listen: ListenAddress, port: number, tlsCertPem: string | undefined): Pick<DeviceFacts, 'addresses' | 'ports' | 'tlsFingerprint'> {
  return {
    addresses: WILDCARD_HOSTS.has(listen.host) ? lanAddresses() : [listen.host === 'localhost' ? '127.0.0.1' : listen.host],
    ports: tlsCertPem ? { https: port } : { http: port },
    tlsFingerprint: tlsCertPem ? certificateFingerprint(tlsCertPem) : null,
  };
}
