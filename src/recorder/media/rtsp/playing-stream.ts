/** A camera's stream after PLAY: RTP packets in, frames out, until close() or a failure. */
import type { Clock } from '../../../shared/clock.js';
import type { AccessUnit, ParameterSets, VideoCodec, VideoStream } from '../types.js';
import { Depacketizer, type DepacketizerPacket } from './depacketizer.js';
import { RtspError } from './errors.js';
import { FrameQueue } from './frame-queue.js';
import { h264 } from './h264.js';
import { h265 } from './h265.js';
import type { ParameterSetName } from './nal-syntax.js';
import { parseRtpPacket, SequenceTracker, TimestampUnwrapper } from './rtp.js';

export interface RtspStreamStats {
  /** RTP packets that never came (sequence number gaps). */
  lostPackets: number;
  /** Frames dropped because of lost packets, or because frames() fell behind. */
  droppedFrames: number;
  /** Packets that were not RTP of the video track, or came too late to use. */
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
  /** From the SDP; in-band ones replace them. */
  parameterSets: Partial<Record<ParameterSetName, Buffer>>;
  clock: Clock;
  transport: 'tcp' | 'udp';
  timeoutMs: number;
  where: string;
  /** Ends the session: TEARDOWN, close the connection and UDP sockets. */
  teardown(): void;
}

export class PlayingStream implements RtspVideoStream {
  readonly codec: VideoCodec;
  readonly #options: PlayingStreamOptions;
  readonly #queue = new FrameQueue(QUEUE_LIMIT);
  readonly #depacketizer: Depacketizer;
  readonly #sequence = new SequenceTracker();
  readonly #time = new TimestampUnwrapper();
  /** Reused for every packet (the depacketizer keeps only the payload), one allocation fewer per packet. */
  readonly #packet: DepacketizerPacket = { payload: Buffer.alloc(0), marker: false, pts90k: 0, lost: 0 };
  #invalidPackets = 0;
  #receivedVideo = false;
  #watchdog: NodeJS.Timeout | undefined;
  #closeHandlers: Array<() => void> = [];
  #closed = false;

  constructor(options: PlayingStreamOptions) {
    this.codec = options.codec;
    this.#options = options;
    this.#depacketizer = new Depacketizer(SYNTAX[options.codec], options.parameterSets, (frame) => this.#queue.push(frame));
  }

  parameterSets(): ParameterSets | undefined {
    return this.#depacketizer.parameterSets();
  }

  frames(): AsyncIterable<AccessUnit> {
    return this.#queue.frames();
  }

  stats(): RtspStreamStats {
    return {
      lostPackets: this.#sequence.lost,
      droppedFrames: this.#depacketizer.framesDropped + this.#queue.dropped,
      discardedPackets: this.#invalidPackets + this.#sequence.late,
    };
  }

  receiveRtp(data: Buffer): void {
    if (this.#closed) return;
    const packet = parseRtpPacket(data);
    if (!packet || packet.payloadType !== this.#options.payloadType) {
      this.#invalidPackets++;
      return;
    }
    this.#watchdog?.refresh();
    this.#receivedVideo = true;
    const verdict = this.#sequence.next(packet.sequence);
    if (!verdict.accept) return;
    const next = this.#packet;
    next.payload = packet.payload;
    next.marker = packet.marker;
    next.pts90k = this.#time.unwrap(packet.timestamp);
    next.lost = verdict.lost;
    this.#depacketizer.push(next, this.#options.clock.now());
  }

  /** Starts the no-RTP timer: a real timer on purpose, as it watches the camera, not the clock. */
  startWatching(): void {
    if (this.#closed) return;
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
    this.#options.teardown();
    for (const handler of this.#closeHandlers.splice(0)) handler();
  }
}
