import { createPublicKey, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import { connectUrlOf, signHello, type CloudMessage, type CommandAnswer, type DeviceCommand, type DeviceMessage } from '../api/cloud-link.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Timers } from '../../shared/timers.js';
import { backoffDelay } from '../media/cameras/supervisor-policy.js';

/**
 * Reconnecting: about 1 s after the first failure, doubling up to 5 minutes, each wait shortened by
 * up to half at random, so recorders cut off together (a cloud restart) do not all call back at once.
 */
export const CLOUD_LINK_BACKOFF = { baseBackoffMs: 1_000, maxBackoffMs: 5 * 60_000, jitter: 0.5 } as const;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const MAX_MESSAGE_BYTES = 64 * 1024;

export type CloudLinkState = 'connecting' | 'online' | 'offline';

export interface CloudLinkStatus {
  state: CloudLinkState;
  /** When it entered this state. */
  since: number;
}

export interface CloudLinkDeps {
  cloudUrl: string;
  deviceKey: KeyObject;
  device: () => { serial: string; model: string };
  /** Whether the recorder holds a binding to this cloud now (read at each connection). */
  boundHere: () => boolean;
  answer: (command: DeviceCommand) => Promise<CommandAnswer>;
  /** The cloud's side of the binding, at each connection: false when the owner unbound meanwhile. */
  onWelcome: (bound: boolean) => void;
  clock: Clock;
  timers: Timers;
  /** In [0, 1): the backoff's jitter. */
  random: () => number;
  logger: Logger;
}

export interface CloudLink {
  /** The cloud it connects to (--cloud). */
  cloudUrl: string;
  status(): CloudLinkStatus;
  /** Tells the cloud the recorder forgot its binding (if connected now; otherwise the next hello says so). */
  sendUnbound(): void;
  close(): Promise<void>;
}

/**
 * The recorder's one outbound WebSocket to its cloud: signs the cloud's challenge with the device
 * key, answers the cloud's commands, and reconnects after any loss with capped exponential backoff.
 * Nothing else waits for it: with the cloud down the recorder works as without one, and the log
 * gets one line per failed attempt.
 */
export function startCloudLink(deps: CloudLinkDeps): CloudLink {
  const url = connectUrlOf(deps.cloudUrl);
  const publicKey = createPublicKey(deps.deviceKey).export({ type: 'spki', format: 'pem' }).toString();
  let status: CloudLinkStatus = { state: 'connecting', since: deps.clock.now() };
  let failures = 0;
  let socket: WebSocket | undefined;
  let cancelRetry: (() => void) | undefined;
  let closing = false;

  const enter = (state: CloudLinkState) => {
    if (status.state !== state) status = { state, since: deps.clock.now() };
  };
  const send = (ws: WebSocket, message: DeviceMessage) => ws.send(JSON.stringify(message));

  function connect(): void {
    cancelRetry = undefined;
    const ws = new WebSocket(url, { handshakeTimeout: HANDSHAKE_TIMEOUT_MS, maxPayload: MAX_MESSAGE_BYTES });
    socket = ws;
    let lastError = '';
    let welcomed = false;
    ws.on('error', (err) => (lastError = err.message));
    ws.on('message', (data) => {
      let message: CloudMessage;
      try {
        message = JSON.parse(String(data)) as CloudMessage;
      } catch {
        return ws.close(1002, 'not JSON');
      }
      if (message.type === 'challenge') {
        send(ws, signHello(deps.deviceKey, message, { ...deps.device(), publicKey, bound: deps.boundHere() }));
      } else if (message.type === 'welcome') {
        welcomed = true;
        failures = 0;
        enter('online');
        deps.logger.info({ event: 'cloud_connected', cloud: deps.cloudUrl }, 'connected to the cloud');
        deps.onWelcome(message.bound);
      } else if (message.type === 'command' && welcomed) {
        const { id } = message;
        void deps
          .answer(message.command)
          .catch((err: unknown) => {
            deps.logger.warn({ err, command: message.command.kind }, 'a command from the cloud failed');
            return { ok: false, reason: 'unavailable' } as const;
          })
          .then((answer) => {
            if (ws.readyState === WebSocket.OPEN) send(ws, { type: 'answer', id, answer });
          });
      }
    });
    ws.on('close', (code, reason) => {
      if (socket === ws) socket = undefined;
      if (closing) return;
      enter('offline');
      failures += 1;
      const delay = backoffDelay(failures, deps.random(), CLOUD_LINK_BACKOFF);
      const why = lastError || `closed (${code}${reason.length > 0 ? ` ${String(reason)}` : ''})`;
      deps.logger.warn({ event: 'cloud_unreachable', cloud: deps.cloudUrl, reason: why, retryInSeconds: Math.round(delay / 1000) }, 'the cloud is unreachable; the recorder works on without it');
      cancelRetry = deps.timers.after(delay, connect);
    });
  }
  connect();

  return {
    cloudUrl: deps.cloudUrl,
    status: () => status,
    sendUnbound() {
      if (socket?.readyState === WebSocket.OPEN && status.state === 'online') send(socket, { type: 'unbound' });
    },
    async close() {
      closing = true;
      cancelRetry?.();
      const ws = socket;
      if (!ws || ws.readyState === WebSocket.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.terminate();
      });
    },
  };
}
