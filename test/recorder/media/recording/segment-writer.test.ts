import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import { contiguousRanges } from '../../../../src/recorder/media/recording/timeline.js';
import type { VideoCodec } from '../../../../src/media/types.js';
import { accessUnits, clipFrames, decodeErrors, HD_CLIP, parameterSetsOf, probeVideo, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

const clips = new Map<string, Frame[]>();
beforeAll(async () => {
  clips.set('h264', await clipFrames('h264', HD_CLIP));
  clips.set('h265', await clipFrames('h265', HD_CLIP));
  clips.set('small', await clipFrames('h264', SMALL_CLIP));
});

let f: ReturnType<typeof recordingFixture>;
beforeEach(() => {
  f = recordingFixture();
});
afterEach(() => f.cleanup());

describe.each(['h264', 'h265'] as VideoCodec[])('a segment of %s', (codec) => {
  it('decodes cleanly with every frame, the right duration, and an index row that matches the file', async () => {
    const frames = clips.get(codec)!;
    const writer = f.writer();
    const units = accessUnits(codec, frames);
    await f.feed(writer, units, parameterSetsOf(codec, frames));
    await writer.close();

    const [row, ...others] = f.store.listAll();
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      cameraId: 7,
      startMs: units[0]!.receivedAt,
      endMs: units[0]!.receivedAt + 2000,
      duration90k: 50 * 3600,
      frames: 50,
      open: false,
      codec: codec === 'h264' ? expect.stringMatching(/^avc1\.64/) : expect.stringMatching(/^hvc1\.1\.6\.L/),
    });
    expect(row!.path).toBe(`7/2026-01-01/${units[0]!.receivedAt}.mp4`);
    expect(row!.keyframes.map((k) => k.time90k)).toEqual([0, 25 * 3600]);
    const file = f.file(row!.path);
    expect(statSync(file).size).toBe(row!.bytes);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(f.paths.footage, '7')).mode & 0o777).toBe(0o700);

    const probed = probeVideo(file);
    expect(probed).toMatchObject({ codec_name: codec === 'h264' ? 'h264' : 'hevc', width: 1280, height: 720, nb_read_frames: '50' });
    expect(Number(probed.duration)).toBeCloseTo(2, 2);
    expect(decodeErrors(file)).toBe('');
  });
});

describe('segment boundaries', () => {
  it('rolls over at the first keyframe after 60 s, each segment continuing where the last ended', async () => {
    const frames = clips.get('small')!;
    const writer = f.writer();
    await f.feed(writer, accessUnits('h264', frames, { count: 130 * 25 }), parameterSetsOf('h264', frames));
    await writer.close();

    const rows = f.store.listAll();
    expect(rows.map((r) => r.duration90k / 90_000)).toEqual([60, 60, 10]);
    expect(rows[1]!.startMs).toBe(rows[0]!.endMs);
    expect(rows[2]!.startMs).toBe(rows[1]!.endMs);
    expect(contiguousRanges(rows)).toEqual([{ startMs: rows[0]!.startMs, endMs: rows[2]!.endMs }]);
    for (const row of rows) {
      expect(probeVideo(f.file(row.path)).nb_read_frames).toBe(String(row.frames));
      expect(decodeErrors(f.file(row.path))).toBe('');
    }
    // A fragment per second at most, and every keyframe starts one.
    expect(rows[0]!.keyframes).toHaveLength(60);
  });

  it('ends the segment at a gap and starts the next at the first keyframe after it', async () => {
    const frames = clips.get('small')!;
    const params = parameterSetsOf('h264', frames);
    const writer = f.writer();
    const before = accessUnits('h264', frames, { count: 40 });
    // The camera comes back 10 s later, mid-GOP: frames before the next keyframe cannot be decoded alone.
    const after = accessUnits('h264', frames, { count: 50, startPts: 40 * 3600 + 10 * 90_000, startMs: before[0]!.receivedAt + 1600 + 10_000 })
      .map((u, i) => ({ ...u, nalus: frames[(i + 10) % 50]!.nalus, keyframe: frames[(i + 10) % 50]!.keyframe }));
    await f.feed(writer, [...before, ...after], params);
    await writer.close();

    const rows = f.store.listAll();
    expect(rows.map((r) => r.frames)).toEqual([40, 35]);
    expect(rows[0]!.endMs).toBe(before[0]!.receivedAt + 1600);
    expect(rows[1]!.startMs).toBe(after[15]!.receivedAt);
    expect(contiguousRanges(rows)).toHaveLength(2);
    for (const row of rows) expect(decodeErrors(f.file(row.path))).toBe('');
  });

  it('starts a new segment with a new init segment when the parameter sets change at a keyframe', async () => {
    const small = clips.get('small')!;
    const large = clips.get('h264')!;
    const writer = f.writer();
    const first = accessUnits('h264', small, { count: 50 });
    const second = accessUnits('h264', large, { count: 50, startPts: 50 * 3600, startMs: first[0]!.receivedAt + 2000 });
    await f.feed(writer, first, parameterSetsOf('h264', small));
    await f.feed(writer, second, parameterSetsOf('h264', large));
    await writer.close();

    const rows = f.store.listAll();
    expect(rows).toHaveLength(2);
    expect(rows[1]!.startMs).toBe(rows[0]!.endMs);
    expect(probeVideo(f.file(rows[0]!.path))).toMatchObject({ width: 320, height: 240 });
    expect(probeVideo(f.file(rows[1]!.path))).toMatchObject({ width: 1280, height: 720 });
  });
});

describe('calls in order', () => {
  it('runs pushes and close in the order made, even when the caller does not await each', async () => {
    const frames = clips.get('small')!;
    const params = parameterSetsOf('h264', frames);
    const writer = f.writer();
    const calls = accessUnits('h264', frames, { count: 75 }).map((u) => writer.push(u, params));
    await Promise.all([...calls, writer.close()]);
    const [row] = f.store.listAll();
    expect(row).toMatchObject({ frames: 75, open: false, duration90k: 75 * 3600 });
    expect(decodeErrors(f.file(row!.path))).toBe('');
  });
});

describe('the index while writing', () => {
  it('describes only synced bytes, and catches up at each sync', async () => {
    const frames = clips.get('small')!;
    const writer = f.writer({ syncIntervalMs: 3000 });
    const units = accessUnits('h264', frames, { count: 25 * 10 });
    await f.feed(writer, units, parameterSetsOf('h264', frames));
    const [row] = f.store.listAll();
    expect(row!.open).toBe(true);
    expect(row!.bytes).toBeLessThanOrEqual(statSync(f.file(row!.path)).size);
    expect(row!.duration90k).toBeGreaterThanOrEqual(6 * 90_000);
    await writer.close();
    expect(f.store.listAll()[0]!.bytes).toBe(statSync(f.file(row!.path)).size);
  });
});
