/**
 * What flows between the parts of the video pipeline (see README.md in this folder). Pure types:
 * the RTSP client produces AccessUnits, the segment writer and the live view consume them.
 */

export type VideoCodec = 'h264' | 'h265';

/** One video frame as the camera sent it. */
export interface AccessUnit {
  codec: VideoCodec;
  /** The frame's NAL units in order, without Annex B start codes or length prefixes. */
  nalus: Buffer[];
  /** Presentation time on the stream's 90 kHz clock, unwrapped (it never jumps back at 2^32). */
  pts90k: number;
  /** Holds an IDR (H.264 type 5) or IRAP (H.265 types 16 to 21) picture: a recording or live view can start here. */
  keyframe: boolean;
  /** When the recorder had the whole frame, from the injected clock (ms since the epoch). */
  receivedAt: number;
}

/** The parameter sets a decoder needs (from the SDP's sprop-* or in-band; in-band ones replace them). */
export interface ParameterSets {
  codec: VideoCodec;
  /** H.265 only. */
  vps?: Buffer;
  sps: Buffer;
  pps: Buffer;
}

/** How to reach a camera. */
export interface RtspSource {
  url: string;
  username?: string;
  password?: string;
  /** RTP over the RTSP connection (interleaved) or over UDP. */
  transport: 'tcp' | 'udp';
}

/** A camera's video stream while connected. */
export interface VideoStream {
  readonly codec: VideoCodec;
  /** The latest parameter sets seen (SDP first, then in-band); undefined until one of each is known. */
  parameterSets(): ParameterSets | undefined;
  /** Frames in order; the iteration ends when the stream is closed and throws when the connection fails. */
  frames(): AsyncIterable<AccessUnit>;
  close(): void;
}
