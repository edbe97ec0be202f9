/**
 * The asking side of discovery: probes the group about once a second until the time is up and
 * hands every answer to FoundDevices. Probes go out with a TTL of 1: they never leave the LAN.
 */
import { createSocket } from 'node:dgram';
import { decodeAnswer, DISCOVERY_GROUP, DISCOVERY_PORT, encodeProbe, newNonce } from './protocol.js';
import { FoundDevices } from './found-devices.js';

/** The scan could not run: said as is, exit code 2. */
export class ScanError extends Error {}

export interface ScanOptions {
  timeoutMs: number;
  /** The local IPv4 address whose interface the probes leave by (default: the kernel's route to the group). */
  interfaceAddress?: string;
  port?: number;
  /** Called whenever something changed: a new answer, or time went by (for the live table). */
  onProgress?: (found: FoundDevices, elapsedMs: number) => void;
}

const PROBE_INTERVAL_MS = 1000;
const PROGRESS_INTERVAL_MS = 200;

export async function scanLan(options: ScanOptions): Promise<FoundDevices> {
  const nonces = new Set<string>();
  const found = new FoundDevices(nonces);
  const socket = createSocket({ type: 'udp4' });
  const started = Date.now();
  const progress = () => options.onProgress?.(found, Math.min(Date.now() - started, options.timeoutMs));
  socket.on('message', (datagram, remote) => {
    const decoded = decodeAnswer(datagram);
    if (decoded.ok && found.add(decoded.value, remote.address)) progress();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, options.interfaceAddress, () => resolve());
  });
  // Kept, not thrown: a probe that could not go out is worth a word only if nothing answered.
  let sendError: Error | undefined;
  socket.on('error', (error) => (sendError = error));
  socket.setMulticastTTL(1);
  if (options.interfaceAddress) socket.setMulticastInterface(options.interfaceAddress);
  const probe = () => {
    const nonce = newNonce();
    nonces.add(nonce);
    socket.send(encodeProbe(nonce), options.port ?? DISCOVERY_PORT, DISCOVERY_GROUP);
  };
  probe();
  const probing = setInterval(probe, PROBE_INTERVAL_MS);
  const ticking = setInterval(progress, PROGRESS_INTERVAL_MS);
  await new Promise((resolve) => setTimeout(resolve, options.timeoutMs));
  clearInterval(probing);
  clearInterval(ticking);
  progress();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  if (sendError && found.list().length === 0) {
    throw new ScanError(`The probes could not be sent (${sendError.message}): give the address of this computer on the LAN with --interface.`);
  }
  return found;
}
