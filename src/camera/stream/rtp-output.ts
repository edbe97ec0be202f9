import type { Socket as UdpSocket } from 'node:dgram';
import type { Socket } from 'node:net';
import { formatInterleaved } from '../../media/rtsp/message.js';

/** Where a session's RTP and RTCP packets go. */
export interface RtpOutput {
  /** Bytes to reserve before each RTP header (the interleaved frame header over TCP). */
  readonly framingBytes: number;
  /** Sends packets given as [header, payload] pairs; `header` has `framingBytes` of room at its start. */
  sendRtp(packets: ReadonlyArray<readonly [Buffer, Buffer]>): void;
  sendRtcp(packet: Buffer): void;
  /** The client is not keeping up: frames are skipped until it drains. */
  congested(): boolean;
}

/** A TCP client that stops reading is left behind once this much is queued for it. */
const MAX_QUEUED_BYTES = 4 * 1024 * 1024;

/** RTP inside the RTSP connection (RFC 2326 §10.12): `$`, channel, 16-bit length, packet. */
export class InterleavedOutput implements RtpOutput {
  readonly framingBytes = 4;

  constructor(
    private readonly socket: Socket,
    private readonly rtpChannel: number,
    private readonly rtcpChannel: number,
  ) {}

  sendRtp(packets: ReadonlyArray<readonly [Buffer, Buffer]>): void {
    if (this.socket.destroyed) return;
    // Corked, the pieces of a whole frame leave in one writev call, and no payload is copied.
    this.socket.cork();
    for (const [header, payload] of packets) {
      header[0] = 0x24;
      header[1] = this.rtpChannel;
      header.writeUInt16BE(header.length - 4 + payload.length, 2);
      this.socket.write(header);
      this.socket.write(payload);
    }
    this.socket.uncork();
  }

  sendRtcp(packet: Buffer): void {
    if (!this.socket.destroyed) this.socket.write(formatInterleaved(this.rtcpChannel, packet));
  }

  congested(): boolean {
    return this.socket.writableLength > MAX_QUEUED_BYTES;
  }
}

/** RTP and RTCP over UDP from the server's port pair to the client's. */
export class UdpOutput implements RtpOutput {
  readonly framingBytes = 0;

  constructor(
    private readonly rtpSocket: UdpSocket,
    private readonly rtcpSocket: UdpSocket,
    private readonly address: string,
    private readonly rtpPort: number,
    private readonly rtcpPort: number,
  ) {}

  sendRtp(packets: ReadonlyArray<readonly [Buffer, Buffer]>): void {
    for (const [header, payload] of packets) this.rtpSocket.send([header, payload], this.rtpPort, this.address);
  }

  sendRtcp(packet: Buffer): void {
    this.rtcpSocket.send(packet, this.rtcpPort, this.address);
  }

  congested(): boolean {
    return false;
  }
}
