import { randomBytes } from 'node:crypto';
import type { CameraPath } from './camera-path.js';
import type { OutgoingFrame } from './frame-source.js';
import { senderReport } from './rtcp.js';
import type { RtpOutput } from './rtp-output.js';
import { RTP_HEADER_SIZE, writeRtpHeader } from './rtp-packetiser.js';
import { VIDEO_PAYLOAD_TYPE } from './sdp.js';

/** RFC 3550 suggests about 5 s between reports for a session this small. */
const SENDER_REPORT_INTERVAL_MS = 5000;

/**
 * One client's RTP stream from a camera path: its own random SSRC, first sequence number and
 * timestamp (RFC 3550 §5.1), starting at a keyframe, with an RTCP sender report every few seconds.
 */
export class RtpSession {
  readonly ssrc = randomBytes(4).readUInt32BE();
  /** The sequence number and RTP timestamp of the first packet (PLAY's RTP-Info announces them). */
  readonly firstSequence = randomBytes(2).readUInt16BE();
  readonly firstTimestamp = randomBytes(4).readUInt32BE();
  private nextSequence = this.firstSequence;
  /** The pts of the first frame sent: RTP time counts from there. */
  private firstPts: number | undefined;
  private waitingForKeyframe = true;
  private packetCount = 0;
  private octetCount = 0;
  private lastReportAt = -Infinity;
  private unsubscribe: (() => void) | undefined;

  constructor(
    readonly path: CameraPath,
    private readonly output: RtpOutput,
  ) {}

  get playing(): boolean {
    return this.unsubscribe !== undefined;
  }

  play(): void {
    this.unsubscribe ??= this.path.subscribe((frame) => this.send(frame));
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  private send(frame: OutgoingFrame): void {
    if (this.output.congested()) {
      this.waitingForKeyframe = true;
      return;
    }
    if (this.waitingForKeyframe && !frame.keyframe) return;
    this.waitingForKeyframe = false;
    this.firstPts ??= frame.pts90k;
    const timestamp = this.firstTimestamp + (frame.pts90k - this.firstPts);
    const { framingBytes } = this.output;
    // All of this frame's headers in one allocation; each packet gets a view of its own.
    const headerBytes = frame.payloads.reduce((sum, payload) => sum + framingBytes + RTP_HEADER_SIZE + payload.head.length, 0);
    const headers = Buffer.allocUnsafe(headerBytes);
    const packets: Array<readonly [Buffer, Buffer]> = [];
    let offset = 0;
    for (const payload of frame.payloads) {
      const size = framingBytes + RTP_HEADER_SIZE + payload.head.length;
      const header = headers.subarray(offset, offset + size);
      writeRtpHeader(header, framingBytes, {
        payloadType: VIDEO_PAYLOAD_TYPE,
        marker: payload.marker,
        sequence: this.nextSequence,
        timestamp,
        ssrc: this.ssrc,
      });
      payload.head.copy(header, framingBytes + RTP_HEADER_SIZE);
      packets.push([header, payload.body]);
      this.nextSequence = (this.nextSequence + 1) & 0xffff;
      offset += size;
    }
    this.output.sendRtp(packets);
    this.packetCount += packets.length;
    this.octetCount += frame.payloadBytes;
    if (frame.wallClockMs - this.lastReportAt >= SENDER_REPORT_INTERVAL_MS) {
      this.lastReportAt = frame.wallClockMs;
      this.output.sendRtcp(
        senderReport({
          ssrc: this.ssrc,
          wallClockMs: frame.wallClockMs,
          rtpTimestamp: timestamp,
          packetCount: this.packetCount,
          octetCount: this.octetCount,
          cname: `vigil-simcam-${this.path.name}`,
        }),
      );
    }
  }
}
