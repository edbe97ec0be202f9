/** An RTSP 1.0 request (RFC 2326). Header names are lower-cased. */
export interface RtspRequest {
  method: string;
  url: string;
  headers: Map<string, string>;
  body: Buffer;
}

/** What a client sends on an RTSP connection: requests, and RTP/RTCP interleaved after `$` (RFC 2326 §10.12). */
export type RtspInput = { kind: 'request'; request: RtspRequest } | { kind: 'interleaved'; channel: number; payload: Buffer };

/** The longest header block accepted: a client sending more is not speaking RTSP. */
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_BODY_BYTES = 64 * 1024;

export class RtspProtocolError extends Error {}

/** Parses what a client sends, chunk by chunk. Pure. */
export class RtspRequestParser {
  private pending: Buffer = Buffer.alloc(0);

  /** Returns every complete message in the data so far; throws RtspProtocolError on garbage. */
  push(chunk: Buffer): RtspInput[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const inputs: RtspInput[] = [];
    for (;;) {
      const input = this.next();
      if (!input) return inputs;
      inputs.push(input);
    }
  }

  private next(): RtspInput | undefined {
    const data = this.pending;
    if (data.length === 0) return undefined;
    if (data[0] === 0x24) {
      if (data.length < 4) return undefined;
      const length = data.readUInt16BE(2);
      if (data.length < 4 + length) return undefined;
      this.pending = data.subarray(4 + length);
      return { kind: 'interleaved', channel: data[1]!, payload: data.subarray(4, 4 + length) };
    }
    const headerEnd = data.indexOf('\r\n\r\n');
    if (headerEnd < 0) {
      if (data.length > MAX_HEADER_BYTES) throw new RtspProtocolError('request header too long');
      return undefined;
    }
    const [requestLine = '', ...headerLines] = data.subarray(0, headerEnd).toString('latin1').split('\r\n');
    const match = /^([A-Z_]+) (\S+) RTSP\/1\.0$/.exec(requestLine);
    if (!match) throw new RtspProtocolError(`not an RTSP request line: ${JSON.stringify(requestLine.slice(0, 80))}`);
    const headers = new Map<string, string>();
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon <= 0) throw new RtspProtocolError(`malformed header line: ${JSON.stringify(line.slice(0, 80))}`);
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const bodyLength = Number(headers.get('content-length') ?? 0);
    if (!Number.isInteger(bodyLength) || bodyLength < 0 || bodyLength > MAX_BODY_BYTES) {
      throw new RtspProtocolError('bad Content-Length');
    }
    const bodyStart = headerEnd + 4;
    if (data.length < bodyStart + bodyLength) return undefined;
    this.pending = data.subarray(bodyStart + bodyLength);
    return { kind: 'request', request: { method: match[1]!, url: match[2]!, headers, body: data.subarray(bodyStart, bodyStart + bodyLength) } };
  }
}

export interface RtspResponse {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
}

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
};

/** Serialises a response; the CSeq of the request is echoed as RTSP requires. Pure. */
export function formatResponse(cseq: string | undefined, response: RtspResponse): string {
  const lines = [`RTSP/1.0 ${response.status} ${REASONS[response.status] ?? 'Error'}`];
  if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
  lines.push('Server: Vigil simulated camera');
  for (const [name, value] of Object.entries(response.headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) lines.push(`${name}: ${one}`);
  }
  const body = response.body ?? '';
  if (body) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
