import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Logger } from '../../shared/logger.js';
import { type CameraCredentials, type RtspAccess, RtspAuthenticator } from './auth.js';
import type { CameraPath } from './camera-path.js';
import { formatResponse, type RtspRequest, type RtspResponse, RtspProtocolError, RtspRequestParser } from './rtsp-message.js';
import { InterleavedOutput, UdpOutput } from './rtp-output.js';
import { RtpSession } from './rtp-session.js';
import { sessionDescription, VIDEO_TRACK_CONTROL } from './sdp.js';
import { chooseTransport, transportResponse } from './transport.js';
import { bindUdpPortPair, type UdpPortPair } from './udp-ports.js';

export interface RtspServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  paths: readonly CameraPath[];
  /** Every request but OPTIONS then needs them, as on most cameras. */
  credentials?: CameraCredentials;
  /** Or whoever decides who may watch (the Vigil camera's accounts); instead of `credentials`. */
  access?: RtspAccess;
  /** A session without any request (or RTCP from its client) for this long is ended. */
  sessionTimeoutSeconds?: number;
  log?: Logger;
}

/** A client's session: set up on one RTSP connection, which it does not outlive. */
interface ClientSession {
  id: string;
  rtp: RtpSession;
  connection: Socket;
  trackUrl: string;
  expiry: NodeJS.Timeout;
  /** Where its RTCP receiver reports come from, for UDP clients. */
  rtcpSource?: string;
}

interface Reply {
  response: RtspResponse;
  /** Runs once the response is written (PLAY starts the stream only after its answer). */
  then?: () => void;
}

const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN';

/**
 * An RTSP 1.0 server (RFC 2326) for simulated cameras, one path each, any number of clients per
 * path, RTP over the RTSP connection or over UDP. It answers what recorders and ffmpeg ask of a
 * camera; it does not record, pause or seek.
 */
export class RtspServer {
  private readonly connections = new Set<Socket>();
  private readonly sessions = new Map<string, ClientSession>();
  private readonly sessionsByRtcpSource = new Map<string, ClientSession>();
  private readonly paths: Map<string, CameraPath>;
  private readonly authenticator: RtspAccess | undefined;
  private readonly timeoutSeconds: number;

  private constructor(
    private readonly server: Server,
    private readonly udp: UdpPortPair,
    private readonly options: RtspServerOptions,
  ) {
    this.paths = new Map(options.paths.map((path) => [path.name, path]));
    this.authenticator = options.access ?? (options.credentials ? new RtspAuthenticator(options.credentials) : undefined);
    this.timeoutSeconds = options.sessionTimeoutSeconds ?? 60;
    server.on('connection', (socket) => this.accept(socket));
    udp.rtcp.on('message', (_report, from) => this.sessionsByRtcpSource.get(`${from.address}:${from.port}`)?.expiry.refresh());
    for (const socket of [udp.rtp, udp.rtcp]) socket.on('error', (error) => options.log?.warn({ err: error }, 'simcam UDP error'));
  }

  static async start(options: RtspServerOptions): Promise<RtspServer> {
    const udp = await bindUdpPortPair(options.host);
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      for (const socket of [udp.rtp, udp.rtcp]) socket.close();
      throw error;
    }
    return new RtspServer(server, udp, options);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Sessions set up and not yet ended, on one path or on all. */
  sessionCount(pathName?: string): number {
    let count = 0;
    for (const session of this.sessions.values()) if (pathName === undefined || session.rtp.path.name === pathName) count++;
    return count;
  }

  /** Cuts the connections of every client of the path (it answers 503 while it is offline). */
  disconnectClients(path: CameraPath): void {
    for (const session of [...this.sessions.values()]) if (session.rtp.path === path) this.cut(session.connection);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) this.cut(connection);
    // No session is left to send on the UDP sockets (sending on a closed one throws).
    for (const socket of [this.udp.rtp, this.udp.rtcp]) socket.close();
    await closed;
  }

  /** Ends the connection's sessions at once (its 'close' event comes later), then the connection. */
  private cut(connection: Socket): void {
    this.endSessionsOf(connection);
    connection.destroy();
  }

  private endSessionsOf(connection: Socket): void {
    for (const session of [...this.sessions.values()]) if (session.connection === connection) this.endSession(session);
  }

  private accept(connection: Socket): void {
    this.connections.add(connection);
    connection.setNoDelay(true);
    const parser = new RtspRequestParser();
    let speaksRtsp = true;
    // A check of credentials may wait for a store: answers still leave in the order of the requests.
    let answered = Promise.resolve();
    connection.on('data', (chunk: Buffer) => {
      if (!speaksRtsp) return; // what follows garbage is garbage too, until the connection is gone
      try {
        for (const input of parser.push(chunk)) {
          if (input.kind === 'interleaved') this.refreshSessionsOf(connection); // RTCP receiver reports
          else {
            const request = input.request;
            answered = answered.then(() => this.answer(connection, request));
          }
        }
      } catch (error) {
        if (!(error instanceof RtspProtocolError)) throw error;
        this.options.log?.warn({ reason: error.message }, 'simcam: closing a connection that does not speak RTSP');
        speaksRtsp = false;
        connection.end(formatResponse(undefined, { status: 400 }));
      }
    });
    // A client that vanished shows up as a reset; 'close' follows and ends its sessions.
    connection.on('error', () => undefined);
    connection.on('close', () => {
      this.connections.delete(connection);
      this.endSessionsOf(connection);
    });
  }

  private async answer(connection: Socket, request: RtspRequest): Promise<void> {
    let reply: Reply;
    try {
      reply = (await this.authorised(connection, request)) ? this.handle(connection, request) : this.unauthorised();
    } catch (error) {
      this.options.log?.error({ err: error, method: request.method }, 'simcam: request failed');
      reply = { response: { status: 500 } };
    }
    if (connection.destroyed) return;
    connection.write(formatResponse(request.headers.get('cseq'), reply.response));
    reply.then?.();
  }

  private authorised(connection: Socket, request: RtspRequest): boolean | Promise<boolean> {
    if (!this.authenticator || request.method === 'OPTIONS') return true;
    return this.authenticator.verify(request.method, request.headers.get('authorization'), connection.remoteAddress ?? '');
  }

  private unauthorised(): Reply {
    return { response: { status: 401, headers: { 'WWW-Authenticate': this.authenticator!.challenge() } } };
  }

  private handle(connection: Socket, request: RtspRequest): Reply {
    switch (request.method) {
      case 'OPTIONS':
        this.sessionOf(request)?.expiry.refresh();
        return { response: { status: 200, headers: { Public: PUBLIC_METHODS } } };
      case 'DESCRIBE':
        return this.describe(connection, request);
      case 'SETUP':
        return this.setup(connection, request);
      case 'PLAY':
        return this.play(request);
      case 'GET_PARAMETER':
        return this.keepAlive(request);
      case 'TEARDOWN':
        return this.teardown(request);
      default:
        return { response: { status: 501, headers: { Public: PUBLIC_METHODS } } };
    }
  }

  private describe(connection: Socket, request: RtspRequest): Reply {
    const target = parseTarget(request.url);
    const path = target && !target.track ? this.paths.get(target.name) : undefined;
    if (!target || !path) return { response: { status: 404 } };
    if (path.offline) return { response: { status: 503 } };
    const body = sessionDescription({
      name: `Vigil simulated camera ${path.name}`,
      serverAddress: plainAddress(connection.localAddress ?? this.options.host),
      parameterSets: path.source.parameterSets,
      fps: path.source.fps,
    });
    return { response: { status: 200, headers: { 'Content-Base': target.baseUrl, 'Content-Type': 'application/sdp' }, body } };
  }

  private setup(connection: Socket, request: RtspRequest): Reply {
    const target = parseTarget(request.url);
    const path = target && (target.track === undefined || target.track === VIDEO_TRACK_CONTROL) ? this.paths.get(target.name) : undefined;
    if (!target || !path) return { response: { status: 404 } };
    if (path.offline) return { response: { status: 503 } };
    // One track per camera: a second SETUP in a session would be for a track that does not exist.
    if (request.headers.has('session')) return { response: { status: 459 } };
    const transport = chooseTransport(request.headers.get('transport') ?? '');
    if (!transport) return { response: { status: 461 } };
    const clientAddress = plainAddress(connection.remoteAddress ?? '');
    const output =
      transport.kind === 'tcp'
        ? new InterleavedOutput(connection, transport.rtpChannel, transport.rtcpChannel)
        : new UdpOutput(this.udp.rtp, this.udp.rtcp, clientAddress, transport.rtpPort, transport.rtcpPort);
    const id = randomBytes(8).toString('hex');
    const session: ClientSession = {
      id,
      rtp: new RtpSession(path, output),
      connection,
      trackUrl: `${target.baseUrl}${VIDEO_TRACK_CONTROL}`,
      expiry: setTimeout(() => this.expire(session), this.timeoutSeconds * 1000),
      rtcpSource: transport.kind === 'udp' ? `${clientAddress}:${transport.rtcpPort}` : undefined,
    };
    this.sessions.set(id, session);
    if (session.rtcpSource) this.sessionsByRtcpSource.set(session.rtcpSource, session);
    const headers = {
      Transport: transportResponse(transport, session.rtp.ssrc, { rtp: this.udp.rtpPort, rtcp: this.udp.rtcpPort }),
      Session: `${id};timeout=${this.timeoutSeconds}`,
    };
    return { response: { status: 200, headers } };
  }

  private play(request: RtspRequest): Reply {
    const session = this.sessionOf(request);
    if (!session) return { response: { status: 454 } };
    if (session.rtp.path.offline) return { response: { status: 503 } };
    session.expiry.refresh();
    const { rtp } = session;
    const headers = {
      Session: `${session.id};timeout=${this.timeoutSeconds}`,
      Range: 'npt=0.000-',
      'RTP-Info': `url=${session.trackUrl};seq=${rtp.firstSequence};rtptime=${rtp.firstTimestamp}`,
    };
    return { response: { status: 200, headers }, then: () => rtp.play() };
  }

  private keepAlive(request: RtspRequest): Reply {
    const session = this.sessionOf(request);
    if (request.headers.has('session') && !session) return { response: { status: 454 } };
    session?.expiry.refresh();
    return { response: { status: 200, headers: session ? { Session: session.id } : {} } };
  }

  private teardown(request: RtspRequest): Reply {
    const session = this.sessionOf(request);
    if (!session) return { response: { status: 454 } };
    this.endSession(session);
    return { response: { status: 200 } };
  }

  private sessionOf(request: RtspRequest): ClientSession | undefined {
    const id = request.headers.get('session')?.split(';')[0]?.trim();
    return id === undefined ? undefined : this.sessions.get(id);
  }

  private refreshSessionsOf(connection: Socket): void {
    for (const session of this.sessions.values()) if (session.connection === connection) session.expiry.refresh();
  }

  /** A client silent past the timeout is gone: its connection is closed, which ends its sessions. */
  private expire(session: ClientSession): void {
    this.options.log?.info({ path: session.rtp.path.name }, 'simcam: session timed out');
    this.cut(session.connection);
  }

  private endSession(session: ClientSession): void {
    clearTimeout(session.expiry);
    session.rtp.stop();
    this.sessions.delete(session.id);
    if (session.rtcpSource && this.sessionsByRtcpSource.get(session.rtcpSource) === session) {
      this.sessionsByRtcpSource.delete(session.rtcpSource);
    }
  }
}

/** The camera a request URL names (`rtsp://host:port/cam1[/trackID=0]`), and the base URL of its tracks. */
function parseTarget(url: string): { name: string; track?: string; baseUrl: string } | undefined {
  let parsed: URL;
  let segments: string[];
  try {
    parsed = new URL(url);
    segments = parsed.pathname.split('/').filter(Boolean).map((segment) => decodeURIComponent(segment));
  } catch {
    return undefined; // not a URL, or a malformed %-escape in it
  }
  const [name, track, ...rest] = segments;
  if (!name || rest.length > 0) return undefined;
  return { name, track, baseUrl: `rtsp://${parsed.host}/${encodeURIComponent(name)}/` };
}

/** An IPv4 client of a dual-stack socket shows as ::ffff:a.b.c.d; UDP and SDP want a.b.c.d. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
