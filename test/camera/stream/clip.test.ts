import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatedCameras, startSimulatedCameras } from '../../../src/camera/stream/simulated-cameras.js';
import { decode, fileSize, probe, record, startRecording, waitUntil } from './ffmpeg-peer.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-simcam-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('looped clip, H.264', () => {
  let cameras: SimulatedCameras;
  beforeAll(async () => {
    // A 2-second clip, so a 3-second recording crosses the loop.
    cameras = await startSimulatedCameras({
      port: 0,
      cameras: 2,
      source: 'clip',
      encoding: { width: 640, height: 360 },
      clip: { cacheDir: join(dir, 'cache'), seconds: 2 },
    });
  });
  afterAll(async () => {
    await cameras?.stop();
  });

  it('is encoded once into the cache', async () => {
    expect(await readdir(join(dir, 'cache'))).toEqual(['testsrc2-h264-640x360-25fps-2000000bps-2s.h264']);
  });

  it('plays across the loop without a decoding error, over TCP and UDP', async () => {
    for (const transport of ['tcp', 'udp'] as const) {
      const file = join(dir, `clip-${transport}.mp4`);
      const recorded = await record(cameras.cameras[0]!.url, transport, file, 3);
      expect(recorded.code, recorded.stderr).toBe(0);
      const { frames, errors } = await decode(file);
      expect(errors).toBe('');
      expect([75, 76]).toContain(frames);
    }
  });

  it('serves several clients of one camera and another camera at once, and ends their sessions', async () => {
    const [cam1, cam2] = cameras.cameras;
    const recordings = [
      startRecording(cam1!.url, 'tcp', join(dir, 'many-1.mp4')),
      startRecording(cam1!.url, 'tcp', join(dir, 'many-2.mp4')),
      startRecording(cam1!.url, 'udp', join(dir, 'many-3.mp4')),
      startRecording(cam2!.url, 'tcp', join(dir, 'many-4.mp4')),
    ];
    await waitUntil(() => cameras.sessionCount('cam1') === 3 && cameras.sessionCount('cam2') === 1);
    // Every recording holds some frames (a 360p keyframe is a few tens of kB) before ffmpeg is asked to
    // finish: on SIGINT it completes the file and sends TEARDOWN.
    const files = recordings.map((_, i) => join(dir, `many-${i + 1}.mp4`));
    await waitUntil(async () => (await Promise.all(files.map(fileSize))).every((size) => size > 200_000));
    for (const { child } of recordings) child.kill('SIGINT');
    await Promise.all(recordings.map(({ exited }) => exited));
    for (let i = 1; i <= 4; i++) {
      const { frames, errors } = await decode(join(dir, `many-${i}.mp4`));
      expect(errors).toBe('');
      expect(frames).toBeGreaterThan(0);
    }
    await waitUntil(() => cameras.sessionCount() === 0);
  });
});

describe('looped clip, H.265', () => {
  it('ffprobe sees HEVC and ffmpeg records 3 s that decode', async () => {
    const cameras = await startSimulatedCameras({
      port: 0,
      source: 'clip',
      encoding: { codec: 'h265', width: 640, height: 360 },
      clip: { cacheDir: join(dir, 'cache'), seconds: 2 },
    });
    try {
      const seen = await probe(cameras.cameras[0]!.url, 'udp');
      expect(seen, seen.stderr).toMatchObject({ ok: true, codec: 'hevc', width: 640, height: 360 });
      const file = join(dir, 'clip-h265.mp4');
      const recorded = await record(cameras.cameras[0]!.url, 'tcp', file, 3);
      expect(recorded.code, recorded.stderr).toBe(0);
      const { frames, errors } = await decode(file);
      expect(errors).toBe('');
      expect([75, 76]).toContain(frames);
    } finally {
      await cameras.stop();
    }
  });
});
