import { spawn } from 'node:child_process';
import { type TimeCodeLayout, type TimeCodeReading, readTimeCode } from './time-code.js';

/** One decoded frame: what its strip said, and when (epoch ms) the frame came out of the decoder. */
export interface WatchedFrame {
  reading: TimeCodeReading;
  decodedAtMs: number;
}

export interface TimeCodeWatcher {
  /** Resolves with the exit code once ffmpeg is gone (after `stop`, or when the stream ends). */
  exited: Promise<number | null>;
  /** What ffmpeg said on stderr (errors only). */
  errorOutput(): string;
  stop(): Promise<void>;
}

/**
 * Plays an RTSP stream with a plain ffmpeg client, as low-delay as ffmpeg goes (no input buffering,
 * low-delay decoding, so no frame threads; every frame flushed to the pipe), cropped to the time code
 * strip in grey, and reads each frame's strip: capture to decoded frame without a recorder or a
 * browser in between. The benchmark's baseline and the test that the code survives encoding.
 */
export function watchTimeCode(url: string, layout: TimeCodeLayout, onFrame: (frame: WatchedFrame) => void): TimeCodeWatcher {
  // prettier-ignore
  const child = spawn('ffmpeg', [
    '-nostdin', '-hide_banner', '-loglevel', 'error',
    '-rtsp_transport', 'tcp', '-fflags', 'nobuffer', '-flags', 'low_delay', '-i', url,
    // Grey first: cropping 4:2:0 would round odd offsets and sizes to even ones (7 px blocks at 320x240).
    '-vf', `format=gray,crop=${layout.width}:${layout.height}:${layout.x}:${layout.y}`,
    '-vsync', 'passthrough', '-flush_packets', '1', '-f', 'rawvideo', '-',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  const frameBytes = layout.width * layout.height;
  let pending: Buffer = Buffer.alloc(0);
  child.stdout.on('data', (chunk: Buffer) => {
    const decodedAtMs = Date.now();
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    while (pending.length >= frameBytes) {
      onFrame({ reading: readTimeCode({ data: pending.subarray(0, frameBytes), channels: 1 }, layout, decodedAtMs), decodedAtMs });
      pending = pending.subarray(frameBytes);
    }
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  return {
    exited,
    errorOutput: () => stderr.trim(),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited.catch(() => undefined);
    },
  };
}
