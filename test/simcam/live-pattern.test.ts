import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENCODING, textPlacement } from '../../src/simcam/encoding.js';
import { type SimulatedCameras, startSimulatedCameras } from '../../src/simcam/simulated-cameras.js';
import { decode, greyCrop, probe, record, waitUntil } from './ffmpeg-peer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-simcam-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('live test pattern, H.264 720p (what npm start shows)', () => {
  let cameras: SimulatedCameras;
  beforeAll(async () => {
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
});

describe('live test pattern, H.265', () => {
  it('ffmpeg records 3 s over UDP that decode without errors', async () => {
    const cameras = await startSimulatedCameras({ port: 0, source: 'pattern', encoding: { codec: 'h265', width: 640, height: 360 } });
    try {
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
