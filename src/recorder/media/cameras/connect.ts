import { connect as tcpConnect } from 'node:net';
import type { Clock } from '../../../shared/clock.js';
import type { RtspSource, VideoStream } from '../types.js';
import type { ConnectFailureKind } from './connect-failure.js';

export interface ConnectOptions {
  clock: Clock;
  /** Give up (kind `timeout`) when the stream is not playing after this long. */
  timeoutMs: number;
}

/** What the camera list, the probe and the supervisors use to open a camera's stream: the RTSP client's signature. */
export type CameraConnect = (source: RtspSource, options: ConnectOptions) => Promise<VideoStream>;

/** A failure with the kind the RTSP client's RtspError also carries. */
export class CameraConnectError extends Error {
  constructor(
    readonly kind: ConnectFailureKind,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The adapter between the cameras and the RTSP client (src/recorder/media/rtsp/, built beside
 * this folder). Until the client is wired in here, it does the part that needs no RTSP: it opens
 * a TCP connection to the camera's host and port, so an unreachable or silent camera is reported
 * as such, and then says that this build cannot read video.
 */
export const connectCamera: CameraConnect = (source, { timeoutMs }) => {
  const url = new URL(source.url);
  const port = url.port === '' ? (url.protocol === 'rtsps:' ? 322 : 554) : Number(url.port);
  return new Promise((_resolve, reject) => {
    const socket = tcpConnect({ host: url.hostname.replace(/^\[|\]$/g, ''), port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new CameraConnectError('timeout', `no TCP connection to ${url.host} after ${timeoutMs} ms`));
    });
    socket.once('error', (error) => reject(new CameraConnectError('unreachable', error.message)));
    socket.once('connect', () => {
      socket.destroy();
      reject(new CameraConnectError('unsupported', 'this build of the recorder has no RTSP client'));
    });
  });
};
