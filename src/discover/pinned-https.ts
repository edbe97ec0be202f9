/**
 * JSON to a discovered device's API over HTTPS, pinned to the certificate fingerprint its signed
 * answer gave: the certificate is self-signed, so no authority vouches for it, and the pin is what
 * ties this connection to the device key that signed the answer. Nothing is sent before the pin
 * is checked. A device on this machine's loopback only is reached in plain HTTP (loopbackClient).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';

export class DeviceUnreachableError extends Error {}

export interface DeviceAnswer {
  status: number;
  body: Record<string, unknown>;
  retryAfter: number | null;
}

const TIMEOUT_MS = 15_000;

/** A TLS connection that is handed over only once its certificate has the pinned SHA-256. */
function pinnedSocket(host: string, port: number, fingerprint: string, done: (error: Error | null, socket?: TLSSocket) => void): void {
  // The pin replaces the chain and name checks: a self-signed certificate has neither to check.
  const socket = connect({ host, port, rejectUnauthorized: false });
  socket.setTimeout(TIMEOUT_MS, () => socket.destroy(new DeviceUnreachableError(`${host}:${port} did not answer within ${TIMEOUT_MS / 1000} s.`)));
  socket.once('error', (error) => done(error instanceof DeviceUnreachableError ? error : new DeviceUnreachableError(`Cannot reach ${host}:${port}: ${error.message}.`)));
  socket.once('secureConnect', () => {
    const seen = socket.getPeerCertificate().fingerprint256?.replace(/:/g, '').toLowerCase();
    if (seen !== fingerprint) {
      socket.destroy();
      done(new DeviceUnreachableError(`The device at ${host}:${port} shows another certificate than the one its signed answer names: not connecting (someone may be in between).`));
      return;
    }
    socket.setTimeout(0);
    done(null, socket);
  });
}

/** A plain TCP connection on this machine's loopback: nothing sent on it leaves the machine. */
function loopbackSocket(host: string, port: number, done: (error: Error | null, socket?: Socket) => void): void {
  const socket = tcpConnect({ host, port });
  socket.once('error', (error) => done(new DeviceUnreachableError(`Cannot reach ${host}:${port}: ${error.message}.`)));
  socket.once('connect', () => done(null, socket));
}

type Connector = (host: string, port: number, done: (error: Error | null, socket?: Socket) => void) => void;

function json(target: { host: string; port: number }, connector: Connector, tls: boolean, method: string, path: string, body?: unknown): Promise<DeviceAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const request = tls ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    connector(target.host, target.port, (error, socket) => {
      if (error || !socket) return reject(error);
      const req = request(
        {
          host: target.host,
          port: target.port,
          method,
          path,
          headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
          createConnection: () => socket,
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = {};
            }
            const retryAfter = res.headers['retry-after'] === undefined ? null : Number(res.headers['retry-after']);
            resolve({
              status: res.statusCode ?? 0,
              body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {},
              retryAfter: Number.isFinite(retryAfter) ? retryAfter : null,
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new DeviceUnreachableError(`${target.host}:${target.port} did not answer within ${TIMEOUT_MS / 1000} s.`)));
      req.on('error', reject);
      req.end(payload);
    });
  });
}

/** A client of one device's API: the shape `vigil recover`'s steps talk through. */
export interface PinnedClient {
  url: string;
  get(path: string): Promise<DeviceAnswer>;
  post(path: string, body: unknown): Promise<DeviceAnswer>;
}

function client(target: { host: string; port: number }, connector: Connector, tls: boolean): PinnedClient {
  return {
    url: `${tls ? 'https' : 'http'}://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`,
    get: (path) => json(target, connector, tls, 'GET', path),
    post: (path, body) => json(target, connector, tls, 'POST', path, body),
  };
}

/** Every request over TLS, pinned to the certificate the signed answer names. */
export function pinnedClient(target: { host: string; port: number; tlsFingerprint: string }): PinnedClient {
  return client(target, (host, port, done) => pinnedSocket(host, port, target.tlsFingerprint, done), true);
}

/**
 * Every request in plain HTTP to a port of this machine's loopback, for a device that serves only
 * there (the demo recorder of `npm start`): nothing leaves the machine, as with a browser at
 * http://127.0.0.1, so there is nothing on the way to pin against.
 */
export function loopbackClient(target: { host: string; port: number }): PinnedClient {
  return client(target, loopbackSocket, false);
}
