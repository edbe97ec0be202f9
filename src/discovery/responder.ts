/**
 * A device's side of discovery: listens on the group, answers each probe with its signed facts
 * within the limits. Any device uses it with its own facts and key (the recorder and the
 * camera). It never throws after it started: a discovery fault must not take the device down.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { KeyObject } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { AnswerLimiter, answerFits, DEFAULT_ANSWER_LIMITS, type AnswerLimitPolicy } from './answer-limits.js';
import { decodeProbe, DISCOVERY_GROUP, DISCOVERY_PORT, encodeAnswer, signAnswer, type DeviceFacts } from './protocol.js';

export interface ResponderOptions {
  /** Read at each probe: activation, recovery methods and addresses change while the device runs. */
  facts: () => DeviceFacts;
  /** The device's Ed25519 private key. */
  deviceKey: KeyObject;
  clock: Clock;
  logger: Logger;
  port?: number;
  group?: string;
  limits?: AnswerLimitPolicy;
}

export interface DiscoveryResponder {
  close(): Promise<void>;
}

/** What one probe gets: an answer, or the reason it gets none (logged at debug, never per probe at a higher level: a flood would flood the log). */
export function answerProbe(datagram: Buffer, source: string, options: Pick<ResponderOptions, 'facts' | 'deviceKey'>, limiter: AnswerLimiter): Buffer | string {
  const probe = decodeProbe(datagram);
  if (!probe.ok) return probe.problem;
  const verdict = limiter.admit(source);
  if (verdict !== 'answer') return verdict;
  const answer = encodeAnswer(signAnswer(options.facts(), probe.value.nonce, options.deviceKey));
  return answerFits(answer.length, datagram.length) ? answer : 'answer larger than probe';
}

/**
 * Joins the group on every IPv4 interface, so a device on two LANs answers on both; on the
 * kernel's choice when no interface takes it (a host with loopback only). Throws if none does.
 */
function joinGroup(socket: Socket, group: string): void {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .filter((nic) => nic && nic.family === 'IPv4' && !nic.internal)
    .map((nic) => nic!.address);
  let joined = 0;
  for (const address of addresses) {
    try {
      socket.addMembership(group, address);
      joined += 1;
    } catch {
      // an interface without multicast: the others still answer
    }
  }
  if (joined === 0) socket.addMembership(group);
}

/** Binds the discovery port (shared with other devices on this host) and joins the group; resolves once it listens. */
export async function startDiscoveryResponder(options: ResponderOptions): Promise<DiscoveryResponder> {
  const limiter = new AnswerLimiter(options.limits ?? DEFAULT_ANSWER_LIMITS, options.clock);
  const socket: Socket = createSocket({ type: 'udp4', reuseAddr: true });
  const group = options.group ?? DISCOVERY_GROUP;
  let closed = false;
  socket.on('message', (datagram: Buffer, remote: RemoteInfo) => {
    try {
      const outcome = answerProbe(datagram, remote.address, options, limiter);
      if (typeof outcome === 'string') {
        options.logger.debug({ event: 'discovery_probe_unanswered', source: remote.address, reason: outcome }, 'discovery probe not answered');
        return;
      }
      socket.send(outcome, remote.port, remote.address, (err) => {
        if (err) options.logger.debug({ event: 'discovery_answer_failed', err }, 'discovery answer not sent');
      });
    } catch (err) {
      options.logger.warn({ event: 'discovery_answer_failed', err }, 'a discovery probe could not be answered');
    }
  });
  socket.on('error', (err) => options.logger.warn({ event: 'discovery_socket_error', err }, 'discovery socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(options.port ?? DISCOVERY_PORT, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  try {
    joinGroup(socket, group);
  } catch (err) {
    socket.close();
    throw err;
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}
