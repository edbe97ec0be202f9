import type { ParameterSets, VideoCodec } from '../../media/types.js';
import type { EncodedFrame } from './access-units.js';
import { packetiseFrame, type RtpPayload } from './rtp-packetiser.js';

/** A frame packetised once, then shared by every client (each adds its own RTP headers). */
export interface PacketisedFrame {
  keyframe: boolean;
  payloads: RtpPayload[];
  /** Payload bytes over all packets (RTCP's octet count). */
  payloadBytes: number;
}

export function packetise(codec: VideoCodec, frame: EncodedFrame): PacketisedFrame {
  const payloads = packetiseFrame(codec, frame.nalus);
  const payloadBytes = payloads.reduce((sum, payload) => sum + payload.head.length + payload.body.length, 0);
  return { keyframe: frame.keyframe, payloads, payloadBytes };
}

/** A frame on its way out, stamped with its time. */
export interface OutgoingFrame extends PacketisedFrame {
  /** On the 90 kHz clock, rising for as long as the source runs (a looped clip keeps counting). */
  pts90k: number;
  /** When the frame was due, in ms since the epoch: RTCP sender reports map RTP time to it. */
  wallClockMs: number;
}

/** The 90 kHz time of the n-th frame at `fps`. */
export function frameTime90k(index: number, fps: number): number {
  return Math.round((index * 90_000) / fps);
}

export type FrameListener = (frame: OutgoingFrame) => void;

/** Where frames come from: an encoder running live, or a clip replayed in a loop. */
export interface FrameSource {
  readonly codec: VideoCodec;
  readonly fps: number;
  /** Known before the source is handed out: DESCRIBE needs them for the SDP. */
  readonly parameterSets: ParameterSets;
  /** Calls the listener with every frame from now on; returns the way to stop. */
  subscribe(listener: FrameListener): () => void;
  stop(): Promise<void>;
}

/** Hands each frame to every current listener. */
export class FrameFanout {
  private readonly listeners = new Set<FrameListener>();

  subscribe(listener: FrameListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(frame: OutgoingFrame): void {
    for (const listener of this.listeners) listener(frame);
  }
}
