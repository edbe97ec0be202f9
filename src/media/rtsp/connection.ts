/**
 * One TCP connection to a camera's RTSP port: sends requests, matches answers by CSeq, and hands
 * interleaved RTP/RTCP frames to a callback. Knows nothing of sessions or authentication.
 */
import { connect, type Socket } from 'node:net';
import { RtspError } from './errors.js';
import { formatInterleaved, formatRequest, RtspReader, type RtspResponse } from './message.js';

export interface ConnectionEvents {
  /** The frame's data is data[start, end). */
  interleaved(channel: number, data: Buffer, start: number, end: number): void;
  /** The connection ended without close() being called. */
  lost(error: RtspError): void;
}

interface PendingRequest {
  cseq: number;
  resolve(response: RtspResponse): void;
  reject(error: RtspError): void;
  timer: NodeJS.Timeout;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

export class RtspConnection {
  readonly #socket: Socket;
  readonly #timeoutMs: number;
  readonly #where: string;
  #events: ConnectionEvents | undefined;
  #cseq = 0;
  readonly #pending: PendingRequest[] = [];
  #closed = false;

  private constructor(socket: Socket, timeoutMs: number, where: string) {
    this.#socket = socket;
    this.#timeoutMs = timeoutMs;
    this.#where = where;
    const reader = new RtspReader({
      response: (response) => this.#answer(response),
      interleaved: (channel, data, start, end) => this.#events?.interleaved(channel, data, start, end),
    });
    socket.on('data', (chunk: Buffer) => {
      try {
        reader.push(chunk);
      } catch (error) {
        this.#fail(error instanceof RtspError ? error : new RtspError('protocol', `The camera at ${where} sent a message that could not be read.`, { cause: error }));
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) => this.#fail(new RtspError('unreachable', `Lost the connection to the camera at ${where} (${error.code ?? error.message}). Check the camera's power and network if this persists.`, { cause: error })));
    socket.on('close', () => this.#fail(new RtspError('unreachable', `The camera at ${where} closed the connection. Check the camera's power and network if this persists.`)));
  }

  /** Connects, or throws 'unreachable' / 'timeout'. `where` names the camera in messages (no credentials). */
  static open(host: string, port: number, timeoutMs: number, where: string): Promise<RtspConnection> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RtspError('timeout', `The camera at ${where} did not answer within ${timeoutMs / 1000} s. Check its address and that it is on the network.`));
      }, timeoutMs);
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        const unreachable = UNREACHABLE_CODES.has(error.code ?? '');
        reject(
          new RtspError(
            unreachable ? 'unreachable' : 'protocol',
            unreachable
              ? `Cannot reach the camera at ${where} (${error.code}). Check the address and port, and that the camera is on.`
              : `Connecting to the camera at ${where} failed (${error.code ?? error.message}).`,
            { cause: error },
          ),
        );
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RtspConnection(socket, timeoutMs, where));
      });
    });
  }

  /** The camera's IP address as connected (a resolved host name, IPv4-mapped IPv6 undone). */
  get remoteAddress(): string | undefined {
    return this.#socket.remoteAddress?.replace(/^::ffff:/, '');
  }

  get remoteFamily(): 'IPv4' | 'IPv6' {
    return this.#socket.remoteFamily === 'IPv6' && !this.#socket.remoteAddress?.startsWith('::ffff:') ? 'IPv6' : 'IPv4';
  }

  listen(events: ConnectionEvents): void {
    this.#events = events;
  }

  /** Sends a request (CSeq added) and waits for its answer, at most timeoutMs. */
  request(method: string, url: string, headers: ReadonlyArray<readonly [string, string]>): Promise<RtspResponse> {
    if (this.#closed) return Promise.reject(new RtspError('unreachable', `The connection to the camera at ${this.#where} is closed.`));
    const cseq = ++this.#cseq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#fail(new RtspError('timeout', `The camera at ${this.#where} did not answer ${method} within ${this.#timeoutMs / 1000} s. Check the camera if this persists.`));
      }, this.#timeoutMs);
      this.#pending.push({ cseq, resolve, reject, timer });
      this.#socket.write(formatRequest(method, url, [['CSeq', String(cseq)], ['User-Agent', 'Vigil'], ...headers]));
    });
  }

  /** Sends a request without waiting for its answer (TEARDOWN on the way out). */
  send(method: string, url: string, headers: ReadonlyArray<readonly [string, string]>): void {
    if (!this.#closed) this.#socket.write(formatRequest(method, url, [['CSeq', String(++this.#cseq)], ['User-Agent', 'Vigil'], ...headers]));
  }

  /** Sends an interleaved frame: RTCP to the camera on the session's channel. */
  sendInterleaved(channel: number, data: Buffer): void {
    if (!this.#closed) this.#socket.write(formatInterleaved(channel, data));
  }

  /** Closes after writing what was sent; no 'lost' event follows. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectPending(new RtspError('unreachable', `The connection to the camera at ${this.#where} was closed.`));
    this.#socket.end();
    // A camera that never closes its side must not keep the socket open.
    this.#socket.setTimeout(1000, () => this.#socket.destroy());
  }

  #answer(response: RtspResponse): void {
    const cseq = Number(response.headers.get('cseq')?.[0]);
    // Some cameras leave CSeq out of their answers: then the answer is to the oldest request.
    const index = Number.isInteger(cseq) ? this.#pending.findIndex((p) => p.cseq === cseq) : 0;
    const [request] = index < 0 ? [] : this.#pending.splice(index, 1);
    if (!request) return;
    clearTimeout(request.timer);
    request.resolve(response);
  }

  #fail(error: RtspError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.destroy();
    this.#rejectPending(error);
    this.#events?.lost(error);
  }

  #rejectPending(error: RtspError): void {
    for (const request of this.#pending.splice(0)) {
      clearTimeout(request.timer);
      request.reject(error);
    }
  }
}
