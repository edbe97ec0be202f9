import { connect, type Socket } from 'node:net';

/**
 * A bare RTSP client for what ffmpeg cannot be made to do on purpose or show: stay silent after
 * PLAY, TEARDOWN and keep the connection open, look at the RTP and RTCP packets themselves.
 */
export class RawRtspClient {
  private buffered = Buffer.alloc(0);
  private waiting: ((response: { status: number; headers: Map<string, string> }) => void) | undefined;
  private cseq = 0;
  /** Interleaved packets received, in order. */
  readonly interleaved: Array<{ channel: number; packet: Buffer }> = [];
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffered = Buffer.concat([this.buffered, chunk]);
      this.parse();
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
  }

  static connect(url: string): Promise<RawRtspClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawRtspClient(socket)));
      socket.once('error', reject);
    });
  }

  request(method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Map<string, string> }> {
    const lines = [`${method} ${url} RTSP/1.0`, `CSeq: ${++this.cseq}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  close(): void {
    this.socket.destroy();
  }

  private parse(): void {
    for (;;) {
      if (this.buffered[0] === 0x24) {
        if (this.buffered.length < 4 || this.buffered.length < 4 + this.buffered.readUInt16BE(2)) return;
        const end = 4 + this.buffered.readUInt16BE(2);
        this.interleaved.push({ channel: this.buffered[1]!, packet: this.buffered.subarray(4, end) });
        this.buffered = this.buffered.subarray(end);
        continue;
      }
      const end = this.buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      const [statusLine = '', ...lines] = this.buffered.subarray(0, end).toString().split('\r\n');
      const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
      const length = Number(headers.get('content-length') ?? 0);
      if (this.buffered.length < end + 4 + length) return;
      this.buffered = this.buffered.subarray(end + 4 + length);
      this.waiting?.({ status: Number(statusLine.split(' ')[1]), headers });
      this.waiting = undefined;
    }
  }
}
