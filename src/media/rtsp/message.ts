/**
 * RTSP 1.0 messages on the wire (RFC 2326): requests written out, and the byte stream from the
 * camera split into responses and interleaved RTP/RTCP frames ("$", channel, 16-bit length, data).
 * Pure: bytes in, messages out through callbacks.
 */
import { RtspError } from './errors.js';

export interface RtspResponse {
  status: number;
  reason: string;
  /** Header values by lower-cased name, in order (WWW-Authenticate may come more than once). */
  headers: Map<string, string[]>;
  body: Buffer;
}

export function header(response: RtspResponse, name: string): string | undefined {
  return response.headers.get(name.toLowerCase())?.[0];
}

export function formatRequest(method: string, url: string, headers: ReadonlyArray<readonly [string, string]>): Buffer {
  const lines = [`${method} ${url} RTSP/1.0`, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''];
  return Buffer.from(lines.join('\r\n'), 'utf8');
}

/** An interleaved frame (RFC 2326 §10.12): "$", channel, 16-bit length, data. */
export function formatInterleaved(channel: number, data: Buffer): Buffer {
  const header = Buffer.from([0x24, channel, 0, 0]);
  header.writeUInt16BE(data.length, 2);
  return Buffer.concat([header, data]);
}

export interface RtspReaderEvents {
  response(response: RtspResponse): void;
  /** The frame's data is data[start, end) (a view would cost an object per packet). */
  interleaved(channel: number, data: Buffer, start: number, end: number): void;
}

const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
/** A header block longer than this is not RTSP. */
const MAX_HEAD_BYTES = 64 * 1024;

export class RtspReader {
  readonly #events: RtspReaderEvents;
  /** Bytes of a message that the last chunk ended in the middle of. */
  #pending: Buffer | undefined;

  constructor(events: RtspReaderEvents) {
    this.#events = events;
  }

  /** Takes the next bytes from the connection; throws a 'protocol' RtspError on garbage. */
  push(chunk: Buffer): void {
    let data = chunk;
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#pending = undefined;
      const needed = pending.length >= 4 && pending[0] === DOLLAR ? 4 + pending.readUInt16BE(2) - pending.length : undefined;
      if (needed !== undefined && needed <= chunk.length) {
        // Copy only the straddling frame, then go on reading the chunk in place.
        this.#read(Buffer.concat([pending, chunk.subarray(0, needed)]));
        data = chunk.subarray(needed);
      } else {
        data = Buffer.concat([pending, chunk]);
      }
    }
    const used = this.#read(data);
    if (used < data.length) this.#pending = data.subarray(used);
  }

  /** Reads whole messages from data; returns how many bytes they took. */
  #read(data: Buffer): number {
    let pos = 0;
    while (pos < data.length) {
      const first = data[pos]!;
      if (first === CR || first === LF) {
        pos++; // some cameras put blank lines between messages
      } else if (first === DOLLAR) {
        if (data.length - pos < 4) break;
        const end = pos + 4 + data.readUInt16BE(pos + 2);
        if (end > data.length) break;
        this.#events.interleaved(data[pos + 1]!, data, pos + 4, end);
        pos = end;
      } else {
        const headEnd = data.indexOf('\r\n\r\n', pos, 'latin1');
        if (headEnd < 0) {
          if (data.length - pos > MAX_HEAD_BYTES) throw new RtspError('protocol', 'The camera sent something that is not RTSP. Check that the port is the camera\'s RTSP port.');
          break;
        }
        const message = parseHead(data.toString('utf8', pos, headEnd));
        const length = Number(message.headers.get('content-length')?.[0] ?? 0);
        const bodyStart = headEnd + 4;
        if (bodyStart + length > data.length) break;
        message.body = data.subarray(bodyStart, bodyStart + length);
        // Requests from the camera (a rare ANNOUNCE or keep-alive) need no answer from a player.
        if (message.status !== undefined) this.#events.response(message as RtspResponse);
        pos = bodyStart + length;
      }
    }
    return pos;
  }
}

function parseHead(text: string): Omit<RtspResponse, 'status'> & { status: number | undefined } {
  const [startLine = '', ...lines] = text.split('\r\n');
  const statusLine = /^RTSP\/\d\.\d\s+(\d{3})\s*(.*)$/.exec(startLine);
  if (!statusLine && !/^[A-Z_]+\s+\S+\s+RTSP\/\d\.\d$/.test(startLine)) {
    throw new RtspError('protocol', 'The camera sent something that is not RTSP. Check that the port is the camera\'s RTSP port.');
  }
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    const values = headers.get(name);
    if (values) values.push(value);
    else headers.set(name, [value]);
  }
  return { status: statusLine ? Number(statusLine[1]) : undefined, reason: statusLine?.[2] ?? '', headers, body: Buffer.alloc(0) };
}

export interface SessionHeader {
  id: string;
  /** Seconds without a request after which the camera may drop the session (RFC 2326 default 60). */
  timeoutSeconds: number;
}

/** "Session: 1A2B3C;timeout=30" (some cameras write "timeout = 30" or leave the timeout out). */
export function parseSessionHeader(value: string): SessionHeader {
  const [id = '', ...params] = value.split(';');
  const timeout = params.map((p) => /^\s*timeout\s*=\s*(\d+)/i.exec(p)).find(Boolean);
  const seconds = timeout ? Number(timeout[1]) : 60;
  return { id: id.trim(), timeoutSeconds: seconds > 0 ? seconds : 60 };
}

/** "Transport: RTP/AVP/TCP;unicast;interleaved=0-1" as parameters: { interleaved: "0-1", ... }. */
export function parseTransportHeader(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) params.set(part.trim().toLowerCase(), '');
    else params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return params;
}

/** "0-1" or "0" as a pair of numbers (the second defaults to the first + 1). */
export function parsePortPair(value: string | undefined): [number, number] | undefined {
  const match = value === undefined ? null : /^(\d+)(?:-(\d+))?$/.exec(value);
  if (!match) return undefined;
  const first = Number(match[1]);
  return [first, match[2] === undefined ? first + 1 : Number(match[2])];
}
