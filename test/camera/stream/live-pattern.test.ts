import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING, textPlacement } from '../../../src/camera/stream/encoding.js';
import { type SimulatedCameras, startSimulatedCameras } from '../../../src/camera/stream/simulated-cameras.js';
import { timeCodeLayout } from '../../../src/camera/stream/time-code.js';
import { type WatchedFrame, watchTimeCode } from '../../../src/camera/stream/time-code-watcher.js';
import { until } from '../../helpers/until.js';
import { decode, greyCrop, probe, record, waitUntil } from './ffmpeg-peer.js';

let dir: string;

/**
 * `count` frames of the camera's stream decoded by a plain ffmpeg client, each with its time code
 * read, from the first one read: ffmpeg's H.265 decoder shows a few grey stand-in pictures at first
 * (it reports missing references), rightly read as `no-strip`.
 */
async function watchFrames(url: string, size: { width: number; height: number }, count: number): Promise<WatchedFrame[]> {
  const frames: WatchedFrame[] = [];
  const watcher = watchTimeCode(url, timeCodeLayout(size.width, size.height), (frame) => {
    if (frames.length > 0 || frame.reading.ok) frames.push(frame);
  });
  try {
    await Promise.race([until(() => frames.length >= count, `${count} decoded frames`), watcher.exited.then((code) => Promise.reject(new Error(`ffmpeg exited (${code}): ${watcher.errorOutput()}`)))]);
  } finally {
    await watcher.stop();
  }
  return frames.slice(0, count);
}

/**
 * The time code survived encoding: every frame read with its check bits right, captured after the
 * camera started and before it was decoded, each frame later than the one before. Correctness of the
 * code, not a latency threshold.
 */
function expectValidTimeCodes(frames: readonly WatchedFrame[], cameraStartedMs: number): void {
  const misread = frames.filter((f) => !f.reading.ok).map((f) => f.reading);
  expect(misread).toEqual([]);
  const captured = frames.map((f) => (f.reading.ok ? f.reading.captureMs : NaN));
  frames.forEach((frame, i) => {
    expect(captured[i]).toBeGreaterThanOrEqual(cameraStartedMs);
    expect(captured[i]).toBeLessThanOrEqual(frame.decodedAtMs);
    if (i > 0) expect(captured[i]).toBeGreaterThan(captured[i - 1]!);
  });
}
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-simcam-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('live test pattern, H.264 720p (what npm start shows)', () => {
  let cameras: SimulatedCameras;
  let startedMs: number;
  beforeAll(async () => {
    startedMs = Date.now();
    cameras = await startSimulatedCameras({ port: 0, cameras: 2, source: 'pattern' });
  });
  afterAll(async () => {
    await cameras?.stop();
  });

  it('prints one URL per camera', () => {
    expect(cameras.cameras.map((camera) => camera.name)).toEqual(['cam1', 'cam2']);
    expect(cameras.cameras[0]!.url).toMatch(/^rtsp:\/\/127\.0\.0\.1:\d+\/cam1$/);
  });

  it('ffprobe sees H.264 1280x720 over TCP and over UDP', async () => {
    for (const transport of ['tcp', 'udp'] as const) {
      const seen = await probe(cameras.cameras[1]!.url, transport);
      expect(seen, seen.stderr).toMatchObject({ ok: true, codec: 'h264', width: 1280, height: 720 });
    }
  });

  it('ffmpeg records 3 s that decode without errors, with the clock burned in ticking', async () => {
    const file = join(dir, 'pattern.mp4');
    const recorded = await record(cameras.cameras[0]!.url, 'tcp', file, 3);
    expect(recorded.code, recorded.stderr).toBe(0);
    const { frames, errors } = await decode(file);
    expect(errors).toBe('');
    // ffmpeg's -t 3 keeps the frames from pts 0 to 3 s, both ends included at 25 fps.
    expect([75, 76]).toContain(frames);

    // The clock's text, cropped inside its black box, in two frames 1.2 s apart: they show different seconds.
    const { fontSize, x, y } = textPlacement(DEFAULT_ENCODING);
    const box = { x, y, width: Math.round(fontSize * 15.6), height: Math.round(fontSize * 0.8) };
    const [early, late] = [await greyCrop(file, 0.2, box), await greyCrop(file, 1.4, box)];
    const ink = (pixels: Buffer) => pixels.filter((value) => value > 128).length;
    expect(ink(early)).toBeGreaterThan(0);
    const changed = early.filter((value, i) => value > 128 !== late[i]! > 128).length;
    expect(changed).toBeGreaterThan(0);
    await waitUntil(() => cameras.sessionCount() === 0);
  });

  it('burns in a time code that a plain ffmpeg client reads back from every frame, rising frame to frame', async () => {
    const frames = await watchFrames(cameras.cameras[0]!.url, DEFAULT_ENCODING, 50);
    expectValidTimeCodes(frames, startedMs);
    // At 25 fps the capture times are about 40 ms apart: not all the same, not skipping seconds.
    const captured = frames.map((f) => (f.reading.ok ? f.reading.captureMs : 0));
    const span = captured.at(-1)! - captured[0]!;
    expect(span).toBeGreaterThan(49 * 20);
    expect(span).toBeLessThan(49 * 80);
  });
});

describe('live test pattern, H.265', () => {
  it('ffmpeg records 3 s over UDP that decode without errors; its smaller time code (8 px blocks) reads back', async () => {
    const startedMs = Date.now();
    const cameras = await startSimulatedCameras({ port: 0, source: 'pattern', encoding: { codec: 'h265', width: 640, height: 360 } });
    try {
      expectValidTimeCodes(await watchFrames(cameras.cameras[0]!.url, { width: 640, height: 360 }, 25), startedMs);
      const seen = await probe(cameras.cameras[0]!.url, 'tcp');
      expect(seen, seen.stderr).toMatchObject({ ok: true, codec: 'hevc', width: 640, height: 360 });
      const file = join(dir, 'pattern-h265.mp4');
      const recorded = await record(cameras.cameras[0]!.url, 'udp', file, 3);
      expect(recorded.code, recorded.stderr).toBe(0);
      const { frames, errors } = await decode(file);
      expect(errors).toBe('');
      expect([75, 76]).toContain(frames);
    } finally {
      await cameras.stop();
    }
  });
});
