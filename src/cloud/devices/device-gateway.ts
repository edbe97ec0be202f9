import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  CLOSE,
  CLOUD_CONNECT_PATH,
  helloSignatureValid,
  type CloudMessage,
  type CommandAnswer,
  type DeviceCommand,
  type DeviceMessage,
  type Hello,
} from '../../recorder/api/cloud-link.js';
import type { Logger } from '../../shared/logger.js';
import type { Timers } from '../../shared/timers.js';
import type { CloudAuditLog } from '../audit.js';
import type { Queryable } from '../db/database.js';
import { deleteBindingOf, findDevice } from '../db/devices.js';
import { DeviceUnreachableError, type ConnectionTable, type DeviceConnection } from './device-router.js';

/** A connection that has not said who it is within this long is closed. */
const HELLO_TIMEOUT_MS = 10_000;
/** Every message is small JSON; anything bigger is not one of ours. */
const MAX_MESSAGE_BYTES = 64 * 1024;

export interface DeviceGatewayDeps {
  db: Queryable;
  connections: ConnectionTable;
  audit: Pick<CloudAuditLog, 'append'>;
  logger: Logger;
  timers: Timers;
}

export interface DeviceGateway {
  /** Closes every device connection (they reconnect to another instance) and stops accepting. */
  close(): Promise<void>;
}

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The hello's fields, if the message is one: the signature is checked by the caller. */
function parseHello(raw: string): Hello | undefined {
  let m: Partial<Hello>;
  try {
    m = JSON.parse(raw) as Partial<Hello>;
  } catch {
    return undefined;
  }
  if (m?.type !== 'hello' || !text(m.serial, 64) || !text(m.model, 64) || !text(m.publicKey, 1024) || !text(m.signature, 256) || typeof m.bound !== 'boolean') {
    return undefined;
  }
  return m as Hello;
}

/**
 * The device gateway: recorders keep one WebSocket each to `CLOUD_CONNECT_PATH`. A connection
 * counts once the recorder signs the cloud's fresh nonce with its device key; for a bound serial the
 * key must be the one recorded at binding, so nobody without the device key speaks for a bound
 * recorder. Commands travel as `{type:'command', id}` and come back as `{type:'answer', id}`.
 */
export function attachDeviceGateway(server: Server, deps: DeviceGatewayDeps): DeviceGateway {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (new URL(request.url ?? '/', 'http://x').pathname !== CLOUD_CONNECT_PATH) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => greet(ws, request.socket.remoteAddress ?? ''));
  }
  server.on('upgrade', onUpgrade);

  function greet(ws: WebSocket, sourceIp: string): void {
    const nonce = randomBytes(32).toString('base64url');
    const cancelTimeout = deps.timers.after(HELLO_TIMEOUT_MS, () => ws.close(CLOSE.protocol, 'no hello'));
    ws.on('error', () => undefined);
    ws.once('message', (data) => {
      cancelTimeout();
      const hello = parseHello(String(data));
      if (!hello) return ws.close(CLOSE.protocol, 'expected a hello');
      void admit(ws, hello, nonce, sourceIp).catch((err: unknown) => {
        deps.logger.warn({ err, serial: hello.serial }, 'a device connection failed during its hello');
        ws.close(1011, 'server error');
      });
    });
    send(ws, { type: 'challenge', nonce });
  }

  async function admit(ws: WebSocket, hello: Hello, nonce: string, sourceIp: string): Promise<void> {
    const bound = await findDevice(deps.db, hello.serial);
    const proven = helloSignatureValid(hello, nonce);
    if (!proven || (bound && bound.publicKey !== hello.publicKey)) {
      // Only a bound serial's refusals are worth the audit log: anyone may claim an unbound one.
      if (bound) {
        await deps.audit.append({
          type: 'device.connect_refused',
          outcome: 'failure',
          actor: { id: bound.ownerAccountId, username: hello.serial },
          sourceIp,
          target: `device:${hello.serial}`,
          details: { reason: proven ? 'other_device_key' : 'bad_signature' },
        });
      }
      deps.logger.info({ event: 'device_connect_refused', serial: hello.serial }, 'a device connection was refused: its device key does not prove the serial');
      return ws.close(CLOSE.unauthenticated, 'device key not accepted');
    }
    // The recorder forgot the binding while it was away (unbound on the recorder, factory reset).
    if (bound && !hello.bound && (await deleteBindingOf(deps.db, hello.serial, hello.publicKey))) {
      await auditUnbound(hello.serial, bound.ownerAccountId, sourceIp);
    }
    if (ws.readyState !== ws.OPEN) return;
    const connection = track(ws, hello, sourceIp);
    deps.connections.attach(hello.serial, connection)?.close(CLOSE.replaced, 'another connection of this device took over');
    ws.on('close', () => deps.connections.detach(hello.serial, connection));
    send(ws, { type: 'welcome', bound: bound !== undefined && hello.bound });
    deps.logger.info({ event: 'device_connected', serial: hello.serial }, 'a device connected');
  }

  function auditUnbound(serial: string, ownerAccountId: number, sourceIp: string) {
    return deps.audit.append({
      type: 'device.unbound',
      outcome: 'success',
      actor: { id: ownerAccountId, username: serial },
      sourceIp,
      target: `device:${serial}`,
      details: { by: 'device' },
    });
  }

  /** The connection's command channel: each command waits for the answer with its id. */
  function track(ws: WebSocket, hello: Hello, sourceIp: string): DeviceConnection {
    const pending = new Map<string, { resolve: (a: CommandAnswer) => void; reject: (e: Error) => void; cancel: () => void }>();
    ws.on('message', (data) => {
      let message: DeviceMessage;
      try {
        message = JSON.parse(String(data)) as DeviceMessage;
      } catch {
        return ws.close(CLOSE.protocol, 'not JSON');
      }
      if (message.type === 'answer' && typeof message.id === 'string') {
        const waiting = pending.get(message.id);
        pending.delete(message.id);
        waiting?.cancel();
        waiting?.resolve(message.answer);
      } else if (message.type === 'unbound') {
        void findDevice(deps.db, hello.serial)
          .then(async (bound) => {
            if (bound && (await deleteBindingOf(deps.db, hello.serial, hello.publicKey))) await auditUnbound(hello.serial, bound.ownerAccountId, sourceIp);
          })
          .catch((err: unknown) => deps.logger.warn({ err, serial: hello.serial }, 'a device unbinding could not be recorded'));
      }
    });
    ws.on('close', () => {
      for (const waiting of pending.values()) {
        waiting.cancel();
        waiting.reject(new DeviceUnreachableError(hello.serial, 'closed'));
      }
      pending.clear();
    });
    return {
      publicKey: hello.publicKey,
      send(command: DeviceCommand, timeoutMs: number) {
        return new Promise<CommandAnswer>((resolve, reject) => {
          if (ws.readyState !== ws.OPEN) return reject(new DeviceUnreachableError(hello.serial, 'closed'));
          const id = randomUUID();
          const cancel = deps.timers.after(timeoutMs, () => {
            pending.delete(id);
            reject(new DeviceUnreachableError(hello.serial, 'timeout'));
          });
          pending.set(id, { resolve, reject, cancel });
          send(ws, { type: 'command', id, command });
        });
      },
      close: (code, reason) => ws.close(code, reason),
    };
  }

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function send(ws: WebSocket, message: CloudMessage): void {
  ws.send(JSON.stringify(message));
}
