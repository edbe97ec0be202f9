import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import { childBoxes, readBoxHeader } from '../../../../src/media/mp4/box.js';
import { parseMoof } from '../../../../src/media/mp4/fragmented.js';
import { exportMp4 } from '../../../../src/recorder/media/recording/export.js';
import { playbackStream } from '../../../../src/recorder/media/recording/playback.js';
import { DEFAULT_LIMITS } from '../../../../src/recorder/media/recording/segment-plan.js';
import type { VideoCodec } from '../../../../src/media/types.js';
import { accessUnits, clipFrames, decodeErrors, parameterSetsOf, probeVideo, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

const clips = new Map<VideoCodec, Frame[]>();
beforeAll(async () => {
  clips.set('h264', await clipFrames('h264', SMALL_CLIP));
  clips.set('h265', await clipFrames('h265', SMALL_CLIP));
});

let f: ReturnType<typeof recordingFixture>;
beforeEach(() => {
  f = recordingFixture();
});
afterEach(() => f.cleanup());

const START = Date.UTC(2026, 0, 1, 12);

/** 25 s of video in 10 s segments (the short limit keeps the test quick), then a 10 s gap, then 5 s more. */
async function recordWithGap(codec: VideoCodec) {
  const frames = clips.get(codec)!;
  const params = parameterSetsOf(codec, frames);
  const writer = f.writer({ limits: { ...DEFAULT_LIMITS, segment90k: 10 * 90_000 } });
  await f.feed(writer, accessUnits(codec, frames, { count: 25 * 25, startMs: START }), params);
  await f.feed(writer, accessUnits(codec, frames, { count: 5 * 25, startPts: 35 * 90_000, startMs: START + 35_000 }), params);
  await writer.close();
  return f.store.listForCamera(7, 0, Number.MAX_SAFE_INTEGER);
}

async function save(chunks: AsyncIterable<Buffer>, name: string): Promise<string> {
  const file = join(f.root, name);
  await pipeline(Readable.from(chunks), createWriteStream(file));
  return file;
}

describe.each(['h264', 'h265'] as VideoCodec[])('export of %s', (codec) => {
  it('is a standard MP4 from the keyframe before the start to the end of the range, across segments', async () => {
    const segments = await recordWithGap(codec);
    expect(segments.map((s) => s.duration90k / 90_000)).toEqual([10, 10, 5, 5]);
    const exported = (await exportMp4(f.paths.footage, segments, START + 3500, START + 17_200))!;
    expect(exported.startMs).toBe(START + 3000); // keyframes every second
    const file = await save(exported.chunks, 'export.mp4');
    const probed = probeVideo(file);
    expect(Number(probed.duration)).toBeCloseTo(14.2, 2);
    expect(probed.nb_read_frames).toBe(String(14.2 * 25));
    expect(decodeErrors(file)).toBe('');
    // moov before mdat, so a player can start before the download ends; the announced length is exact.
    const data = readFileSync(file);
    expect(data.length).toBe(exported.byteLength);
    expect(childBoxes(data).map((b) => b.type)).toEqual(['ftyp', 'moov', 'mdat']);
  });
});

describe('export across a gap', () => {
  it('holds the frame before the gap, so the file lasts as long as the wall-clock range', async () => {
    const segments = await recordWithGap('h264');
    const exported = (await exportMp4(f.paths.footage, segments, START + 20_000, START + 38_000))!;
    const file = await save(exported.chunks, 'gap.mp4');
    expect(Number(probeVideo(file).duration)).toBeCloseTo(18, 2);
    expect(probeVideo(file).nb_read_frames).toBe(String(5 * 25 + 3 * 25));
    expect(decodeErrors(file)).toBe('');
  });

  it('is undefined for a range with no recording', async () => {
    const segments = await recordWithGap('h264');
    expect(await exportMp4(f.paths.footage, segments, START + 26_000, START + 34_000)).toBeUndefined();
  });
});

describe('playback stream (fMP4 for MSE)', () => {
  it('starts with an init segment and a keyframe fragment, and runs on one continuous timeline', async () => {
    const segments = await recordWithGap('h264');
    const stream = playbackStream(f.paths.footage, segments, START + 8_500, START + 12_100)!;
    expect(stream.mimeType).toMatch(/^video\/mp4; codecs="avc1\.[0-9a-f]{6}"$/);
    expect(stream.originMs).toBe(START + 8000);
    const chunks: Buffer[] = [];
    for await (const chunk of stream.chunks) chunks.push(chunk);

    expect(readBoxHeader(chunks[0]!, 0)?.type).toBe('ftyp');
    const fragments = chunks.slice(1).map((c) => parseMoof(c.subarray(0, readBoxHeader(c, 0)!.size)));
    expect(fragments[0]!.samples[0]!.keyframe).toBe(true);
    expect(fragments[0]!.baseMediaDecodeTime).toBe(0);
    // The segments are the same stream: no second init; fragments 8 s to 13 s, one a second.
    expect(chunks.filter((c) => readBoxHeader(c, 0)?.type === 'ftyp')).toHaveLength(1);
    expect(fragments.map((x) => x.baseMediaDecodeTime / 90_000)).toEqual([0, 1, 2, 3, 4]);

    const file = join(f.root, 'playback.mp4');
    writeFileSync(file, Buffer.concat(chunks));
    expect(probeVideo(file).nb_read_frames).toBe(String(5 * 25));
    expect(decodeErrors(file)).toBe('');
  });

  it('sends a new init segment where the stored parameters change, and only there', async () => {
    const small = clips.get('h264')!;
    const other = await clipFrames('h264', { ...SMALL_CLIP, width: 352, height: 288 });
    const writer = f.writer();
    await f.feed(writer, accessUnits('h264', small, { count: 50, startMs: START }), parameterSetsOf('h264', small));
    await f.feed(writer, accessUnits('h264', other, { count: 50, startPts: 50 * 3600, startMs: START + 2000 }), parameterSetsOf('h264', other));
    await writer.close();
    const stream = playbackStream(f.paths.footage, f.store.listForCamera(7, START, START + 4000), START, START + 4000)!;
    const types: string[] = [];
    for await (const chunk of stream.chunks) types.push(readBoxHeader(chunk, 0)!.type);
    expect(types).toEqual(['ftyp', 'moof', 'moof', 'ftyp', 'moof', 'moof']);
  });

  it('keeps a gap between segments as a gap on the timeline', async () => {
    const segments = await recordWithGap('h264');
    const stream = playbackStream(f.paths.footage, segments, START + 24_000, START + 36_000)!;
    const times: number[] = [];
    for await (const chunk of stream.chunks) {
      const header = readBoxHeader(chunk, 0)!;
      if (header.type === 'moof') times.push(parseMoof(chunk.subarray(0, header.size)).baseMediaDecodeTime / 90_000);
    }
    expect(times).toEqual([0, 11]);
  });
});
