/** A camera's stream after PLAY: RTP packets in, frames out, until close() or a failure. */
import type { Clock } from '../../shared/clock.js';
import type { AccessUnit, ParameterSets, VideoCodec, VideoStream } from '../types.js';
import { Depacketizer, type DepacketizerPacket } from './depacketizer.js';
import { RtspError } from './errors.js';
import { FrameQueue } from './frame-queue.js';
import { h264 } from './h264.js';
import { h265 } from './h265.js';
import type { ParameterSetName } from './nal-syntax.js';
import { ReceiverReports } from './receiver-reports.js';
import { ReceptionStats } from './reception-stats.js';
import { NO_REORDERING, ReorderBuffer, UDP_REORDER_WINDOW } from './reorder-buffer.js';
import { senderReportsIn } from './rtcp.js';
import { parseRtpPacket, TimestampUnwrapper, type RtpPacket } from './rtp.js';

export interface RtspStreamStats {
  /** RTP packets that never came in time (sequence number gaps). */
  lostPackets: number;
  /** Frames dropped because of lost packets, or because frames() fell behind. */
  droppedFrames: number;
  /** Packets that were not RTP of the video track, duplicates, or came too late to use. */
  discardedPackets: number;
}

/** A VideoStream with the counters a status page or log wants. */
export interface RtspVideoStream extends VideoStream {
  stats(): RtspStreamStats;
}

/** Frames frames() may fall behind by before the backlog is dropped: 10 s at 25 fps. */
const QUEUE_LIMIT = 250;
const SYNTAX = { h264, h265 } as const;

export interface PlayingStreamOptions {
  codec: VideoCodec;
  payloadType: number;
  /** Of the RTP timestamps, from the SDP. */
  clockRate: number;
  /** From the SDP; in-band ones replace them. */
  parameterSets: Partial<Record<ParameterSetName, Buffer>>;
  clock: Clock;
  transport: 'tcp' | 'udp';
  timeoutMs: number;
  where: string;
  /** Sends an RTCP packet to the camera; without it, no receiver reports are sent. */
  sendRtcp?: (packet: Buffer) => void;
  /** Ends the session: TEARDOWN, close the connection and UDP sockets. */
  teardown(): void;
}

export class PlayingStream implements RtspVideoStream {
  readonly codec: VideoCodec;
  readonly #options: PlayingStreamOptions;
  readonly #queue = new FrameQueue(QUEUE_LIMIT);
  readonly #depacketizer: Depacketizer;
  readonly #order: ReorderBuffer<RtpPacket>;
  readonly #reception: ReceptionStats;
  readonly #reports: ReceiverReports | undefined;
  readonly #time = new TimestampUnwrapper();
  /**
   * Over TCP nothing is reordered, so no packet is held past receiveRtp and one object serves for
   * all of them; over UDP the reorder buffer may hold packets, so each gets its own.
   */
  readonly #reusablePacket: RtpPacket | undefined;
  /** Reused for every packet (the depacketizer keeps only the payload), one allocation fewer per packet. */
  readonly #packet: DepacketizerPacket = { data: Buffer.alloc(0), start: 0, end: 0, marker: false, pts90k: 0, lost: 0 };
  #invalidPackets = 0;
  #receivedVideo = false;
  #watchdog: NodeJS.Timeout | undefined;
  #closeHandlers: Array<() => void> = [];
  #closed = false;

  constructor(options: PlayingStreamOptions) {
    this.codec = options.codec;
    this.#options = options;
    this.#depacketizer = new Depacketizer(SYNTAX[options.codec], options.parameterSets, (frame) => this.#queue.push(frame));
    this.#order = new ReorderBuffer(options.transport === 'udp' ? UDP_REORDER_WINDOW : NO_REORDERING, (packet, lost) => this.#depacketize(packet, lost));
    this.#reception = new ReceptionStats(options.clockRate);
    this.#reusablePacket = options.transport === 'tcp' ? ({} as RtpPacket) : undefined;
    if (options.sendRtcp) this.#reports = new ReceiverReports(this.#reception, options.sendRtcp, options.clock);
  }

  parameterSets(): ParameterSets | undefined {
    return this.#depacketizer.parameterSets();
  }

  frames(): AsyncIterable<AccessUnit> {
    return this.#queue.frames();
  }

  stats(): RtspStreamStats {
    return {
      lostPackets: this.#order.lost,
      droppedFrames: this.#depacketizer.framesDropped + this.#queue.dropped,
      discardedPackets: this.#invalidPackets + this.#order.discarded,
    };
  }

  /** An RTP packet: data[start, end) (a TCP chunk holds many, a UDP datagram one). */
  receiveRtp(data: Buffer, start = 0, end = data.length): void {
    if (this.#closed) return;
    const packet = parseRtpPacket(data, start, end, this.#reusablePacket);
    if (!packet || packet.payloadType !== this.#options.payloadType) {
      this.#invalidPackets++;
      return;
    }
    this.#receivedVideo = true;
    const now = this.#options.clock.now();
    const used = this.#order.push(packet.sequence, packet, now);
    this.#reception.arrived(packet, now, used);
  }

  /** RTCP from the camera: its sender reports, echoed in our receiver reports. */
  receiveRtcp(data: Buffer): void {
    if (this.#closed) return;
    for (const report of senderReportsIn(data)) this.#reception.senderReport(report, this.#options.clock.now());
  }

  /** The next packet in sequence order, after `lost` that never came. */
  #depacketize(packet: RtpPacket, lost: number): void {
    // Only packets that are used keep the stream alive: a camera whose sequence numbers jumped back
    // (every packet now discarded as late) times out and is reconnected instead of stalling unseen.
    this.#watchdog?.refresh();
    const next = this.#packet;
    next.data = packet.data;
    next.start = packet.payloadStart;
    next.end = packet.payloadEnd;
    next.marker = packet.marker;
    next.pts90k = this.#time.unwrap(packet.timestamp);
    next.lost = lost;
    this.#depacketizer.push(next, this.#options.clock.now());
  }

  /** Starts the no-RTP timer (a real timer on purpose, as it watches the camera, not the clock) and the receiver reports. */
  startWatching(): void {
    if (this.#closed) return;
    this.#reports?.start();
    const { where, timeoutMs, transport } = this.#options;
    this.#watchdog = setTimeout(() => {
      const message =
        !this.#receivedVideo && transport === 'udp'
          ? `No video arrived from the camera at ${where} over UDP in ${timeoutMs / 1000} s: a firewall or NAT may block it. Switch this camera to TCP transport.`
          : `The camera at ${where} sent no video for ${timeoutMs / 1000} s. Check the camera's power and network if this persists.`;
      this.fail(new RtspError('timeout', message));
    }, timeoutMs);
    this.#watchdog.unref();
  }

  onClose(handler: () => void): void {
    if (this.#closed) handler();
    else this.#closeHandlers.push(handler);
  }

  fail(error: RtspError): void {
    if (this.#closed) return;
    this.#queue.fail(error);
    this.#shutDown();
  }

  close(): void {
    if (this.#closed) return;
    this.#queue.end();
    this.#shutDown();
  }

  #shutDown(): void {
    this.#closed = true;
    clearTimeout(this.#watchdog);
    this.#reports?.stop();
    this.#options.teardown();
    for (const handler of this.#closeHandlers.splice(0)) handler();
  }
}
