import { randomUUID } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Timers } from '../../shared/timers.js';
import { parseSoapRequest } from './soap.js';
import { DISCOVERY_ADDRESS, DISCOVERY_PORT, probeMessage, readProbeMatches, type ProbeMatch } from './ws-discovery.js';

/** A ProbeMatches is a few kilobytes at most; larger datagrams are not read. */
const MAX_ANSWER_BYTES = 65_507;
/** Cameras answering one scan: enough for any LAN, and a bound on what a flood of forged answers can make us keep. */
const MAX_CAMERAS = 1024;

/**
 * Multicasts one WS-Discovery Probe for ONVIF cameras and collects the ProbeMatches that answer it
 * (unicast, to this socket) for `listenMs`, one per endpoint (the first answer wins). The Probe stays
 * on the LAN (TTL 1), as WS-Discovery's does.
 */
export async function scanForOnvifCameras(options: {
  listenMs: number;
  timers: Timers;
  /** Each new camera as its answer is read, with how many are found so far (a benchmark times the complete list). */
  onFound?: (match: ProbeMatch, count: number) => void;
}): Promise<ProbeMatch[]> {
  const messageId = `urn:uuid:${randomUUID()}`;
  const found = new Map<string, ProbeMatch>();
  const parsing = new Set<Promise<void>>();
  const socket = createSocket({ type: 'udp4' });
  socket.on('message', (datagram) => {
    if (datagram.length > MAX_ANSWER_BYTES || found.size >= MAX_CAMERAS) return;
    const parsed = parseSoapRequest(datagram.toString('utf8'))
      .then((message) => {
        for (const match of readProbeMatches(message, messageId)) {
          if (found.has(match.endpoint)) continue;
          found.set(match.endpoint, match);
          options.onFound?.(match, found.size);
        }
      })
      .catch(() => undefined) // not SOAP: someone else's datagram
      .finally(() => parsing.delete(parsed));
    parsing.add(parsed);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => resolve());
    });
    socket.setMulticastTTL(1);
    await new Promise<void>((resolve, reject) =>
      socket.send(probeMessage(messageId), DISCOVERY_PORT, DISCOVERY_ADDRESS, (error) => (error ? reject(error) : resolve())),
    );
    await new Promise<void>((resolve) => options.timers.after(options.listenMs, resolve));
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
  // Answers that arrived before the socket closed are still being read.
  await Promise.all(parsing);
  return [...found.values()];
}
