import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../shared/logger.js';
import type { TlsFiles } from '../shared/self-signed-certificate.js';
import type { ActivationOutcome, CameraActivation } from './activation.js';
import type { OnvifDispatcher } from './onvif/dispatch.js';

/** SOAP requests of the operations served are a few kilobytes; anything much larger is refused unread. */
const MAX_BODY_BYTES = 64 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLarge());
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
}

const ACTIVATION_STATUS: Record<Extract<ActivationOutcome, { ok: false }>['reason'], number> = {
  already_active: 409,
  wrong_label_code: 403,
  throttled: 429,
  weak_password: 422,
};

/** Fields of a JSON object body, when every one is a string. */
export function stringFields<K extends string>(text: string, keys: readonly K[]): Record<K, string> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null) return undefined;
    const fields = value as Record<string, unknown>;
    return keys.every((key) => typeof fields[key] === 'string') ? (fields as Record<K, string>) : undefined;
  } catch {
    return undefined;
  }
}

export interface CameraHttp {
  port: number;
  /** The same services over HTTPS, when a certificate was given. */
  httpsPort: number | undefined;
  close(): Promise<void>;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
}

/**
 * The camera's HTTP service: ONVIF's SOAP services, and what a recorder needs before there is an
 * account: `GET /vigil/state` (model, active or not) and `POST /vigil/activate` (label code and the
 * admin password, JSON).
 */
export async function startCameraHttp(options: {
  host: string;
  port: number;
  onvif: Pick<OnvifDispatcher, 'answer'>;
  activation: Pick<CameraActivation, 'activate'>;
  state: () => { model: string; active: boolean };
  /** Serve the same over HTTPS too, on this port (0: a free one), with this certificate. */
  https?: { port: number; tls: TlsFiles };
  log?: Logger;
}): Promise<CameraHttp> {
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://camera');
    const path = url.pathname;
    const sourceIp = req.socket.remoteAddress ?? '';
    if (req.method === 'GET' && path === '/vigil/state') return sendJson(res, 200, options.state());
    if (req.method !== 'POST') return void res.writeHead(405, { Allow: 'POST' }).end();
    const body = await readBody(req);
    if (path === '/vigil/activate') {
      const input = stringFields(body, ['labelCode', 'password']);
      if (!input) return sendJson(res, 400, { error: 'Send JSON: {"labelCode": "...", "password": "..."}' });
      const outcome = await options.activation.activate(input, sourceIp);
      if (outcome.ok) return sendJson(res, 200, { activated: true });
      if (outcome.reason === 'throttled') res.setHeader('Retry-After', String(outcome.retryAfterSeconds));
      return sendJson(res, ACTIVATION_STATUS[outcome.reason], outcome);
    }
    const local = req.socket.localAddress ?? '127.0.0.1';
    const host = local.replace(/^::ffff:/, '');
    const answer = await options.onvif.answer({
      path,
      body,
      authorization: req.headers.authorization,
      sourceIp,
      httpHost: `${host.includes(':') ? `[${host}]` : host}:${req.socket.localPort}`,
      host,
      query: url.searchParams,
    });
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  const serve = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BodyTooLarge) return void res.writeHead(413, { Connection: 'close' }).end();
      options.log?.error({ err: error }, 'camera: HTTP request failed');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const servers: Server[] = [createServer(serve)];
  try {
    const port = await listen(servers[0]!, options.port, options.host);
    // HTTPS serves the same: activation over it is what `vigil discover` does, pinned to this certificate.
    if (options.https) servers.push(createHttpsServer({ cert: options.https.tls.cert, key: options.https.tls.key }, serve));
    const httpsPort = options.https ? await listen(servers[1]!, options.https.port, options.host) : undefined;
    return { port, httpsPort, close: async () => void (await Promise.all(servers.map(closeServer))) };
  } catch (error) {
    await Promise.all(servers.filter((server) => server.listening).map(closeServer));
    throw error;
  }
}
