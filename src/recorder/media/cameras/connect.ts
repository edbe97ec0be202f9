import type { Clock } from '../../../shared/clock.js';
import { connectRtsp } from '../../../media/rtsp/client.js';
import type { RtspSource, VideoStream } from '../../../media/types.js';

export interface ConnectOptions {
  clock: Clock;
  /** Give up (kind `timeout`) when the stream is not playing after this long. */
  timeoutMs: number;
}

/** What the camera list, the probe and the supervisors use to open a camera's stream: the RTSP client's signature. */
export type CameraConnect = (source: RtspSource, options: ConnectOptions) => Promise<VideoStream>;

/** The RTSP client; tests of the supervisors inject an in-process camera instead. */
export const connectCamera: CameraConnect = (source, options) => connectRtsp(source, options);
