import type { TestRecorder } from './recorder.js';

/** A closed segment of `bytes` in the recorder's index, without a file: for what only counts bytes and times. */
export function indexSegment(rec: TestRecorder, cameraId: number, startMs: number, endMs: number, bytes: number): void {
  rec.running.ctx.recordings.insert({
    cameraId,
    startMs,
    endMs,
    duration90k: (endMs - startMs) * 90,
    path: `${cameraId}/${startMs}.mp4`,
    bytes,
    frames: 25,
    codec: 'avc1.64001f',
    keyframes: [],
    open: false,
  });
}
