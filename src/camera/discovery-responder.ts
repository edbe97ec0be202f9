import { createSocket } from 'node:dgram';
import type { Logger } from '../shared/logger.js';
import { parseSoapRequest } from '../media/onvif/soap.js';
import { announcement, DISCOVERY_ADDRESS, DISCOVERY_PORT, type DiscoveryIdentity, probeMatches, probeMatchesMessage } from '../media/onvif/ws-discovery.js';

/** A Probe is well under a kilobyte; larger datagrams are not read. */
const MAX_PROBE_BYTES = 8192;

/**
 * Answers WS-Discovery Probes on 239.255.255.250:3702 (unicast, to the prober) and announces the
 * camera with Hello when it starts and Bye when it stops. The port is shared (SO_REUSEADDR), so
 * several cameras on one host each answer.
 */
export async function startDiscoveryResponder(identity: () => DiscoveryIdentity, log?: Logger): Promise<{ stop(): Promise<void> }> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  const send = (message: string, port: number, address: string) =>
    new Promise<void>((resolve) => socket.send(message, port, address, () => resolve())); // a lost datagram is what UDP promises
  socket.on('message', (datagram, from) => {
    if (datagram.length > MAX_PROBE_BYTES) return;
    parseSoapRequest(datagram.toString('utf8'))
      .then((probe) => {
        const self = identity();
        if (probeMatches(probe, self)) return send(probeMatchesMessage(probe, self), from.port, from.address);
      })
      .catch(() => undefined); // not a SOAP message: someone else's traffic on the group
  });
  socket.on('error', (error) => log?.warn({ err: error }, 'camera: WS-Discovery socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(DISCOVERY_PORT, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.addMembership(DISCOVERY_ADDRESS);
  await send(announcement('Hello', identity()), DISCOVERY_PORT, DISCOVERY_ADDRESS);
  return {
    stop: async () => {
      await send(announcement('Bye', identity()), DISCOVERY_PORT, DISCOVERY_ADDRESS);
      await new Promise<void>((resolve) => socket.close(() => resolve()));
    },
  };
}
