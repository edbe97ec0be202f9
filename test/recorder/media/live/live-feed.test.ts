// The live feed with real encoder output: what each viewer receives, and that it decodes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveFeed, type LiveOutput } from '../../../../src/recorder/media/live/live-feed.js';
import { readBoxHeader } from '../../../../src/media/mp4/box.js';
import { parseMoof, trackConfigOfMovie } from '../../../../src/media/mp4/fragmented.js';
import type { AccessUnit } from '../../../../src/media/types.js';
import { accessUnits, clipFrames, decodeErrors, probeVideo, SMALL_CLIP } from '../../../helpers/clips.js';

/** A viewer that keeps what it is sent; `behind` is the backlog it reports (a slow connection). */
class Viewer implements LiveOutput {
  chunks: Buffer[] = [];
  ended = false;
  behind = 0;
  write(chunk: Buffer): void {
    this.chunks.push(chunk);
  }
  backlogBytes(): number {
    return this.behind;
  }
  end(): void {
    this.ended = true;
  }
  boxes(): { type: string; body: Buffer }[] {
    const bytes = Buffer.concat(this.chunks);
    const boxes: { type: string; body: Buffer }[] = [];
    for (let at = 0; at < bytes.length; ) {
      const header = readBoxHeader(bytes, at)!;
      boxes.push({ type: header.type, body: bytes.subarray(at, at + header.size) });
      at += header.size;
    }
    return boxes;
  }
  keyframeFlags(): boolean[] {
    return this.boxes()
      .filter((b) => b.type === 'moof')
      .map((b) => parseMoof(b.body).samples[0]!.keyframe);
  }
}

let dir: string;
let small: AccessUnit[];
let large: AccessUnit[];
const GOP = 10;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-live-feed-'));
  const smallFrames = await clipFrames('h264', { ...SMALL_CLIP, gop: GOP });
  const largeFrames = await clipFrames('h264', { ...SMALL_CLIP, width: 640, height: 480, seconds: 1, gop: GOP });
  small = accessUnits('h264', smallFrames, { count: 50 });
  large = accessUnits('h264', largeFrames, { count: 20, startPts: 50 * 3600, startMs: small.at(-1)!.receivedAt + 40 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const feed = (feedFrames: AccessUnit[], live: LiveFeed) => feedFrames.forEach((au) => live.onFrame(au, undefined));

describe('live feed', () => {
  it('has nothing to offer before the first keyframe with parameter sets', () => {
    const live = new LiveFeed();
    expect(live.subscribe(new Viewer())).toBeUndefined();
    expect(live.latestKeyframe()).toBeUndefined();
  });

  it('a viewer joining mid-GOP gets the init segment and the GOP so far, then every frame; what it gets decodes', () => {
    const live = new LiveFeed();
    feed(small.slice(0, 13), live);
    const viewer = new Viewer();
    expect(live.subscribe(viewer)?.mimeType).toMatch(/^video\/mp4; codecs="avc1\./);
    feed(small.slice(13), live);
    const boxes = viewer.boxes();
    expect(boxes.slice(0, 2).map((b) => b.type)).toEqual(['ftyp', 'moov']);
    // From the keyframe at frame 10: frames 10..49.
    expect(viewer.keyframeFlags()).toEqual(small.slice(10).map((au) => au.keyframe));
    const file = join(dir, 'joined.mp4');
    writeFileSync(file, Buffer.concat(viewer.chunks));
    expect(Number(probeVideo(file).nb_read_frames)).toBe(40);
    expect(decodeErrors(file)).toBe('');
  });

  it('a viewer that falls behind misses frames up to a keyframe, and is dropped after staying behind for three', () => {
    const live = new LiveFeed({ maxBacklogBytes: 1000, maxSkippedKeyframes: 3 });
    feed(small.slice(0, 1), live);
    const viewer = new Viewer();
    live.subscribe(viewer);
    feed(small.slice(1, 5), live);
    viewer.behind = 5000;
    feed(small.slice(5, 8), live);
    viewer.behind = 0; // caught up mid-GOP: nothing until the keyframe at 10
    feed(small.slice(8, 12), live);
    expect(viewer.keyframeFlags()).toEqual([true, false, false, false, false, true, false]);
    viewer.behind = 5000;
    feed(small.slice(12, 50), live); // keyframes at 20, 30 and 40
    expect(viewer.ended).toBe(true);
    expect(live.subscriberCount).toBe(0);
  });

  it('new parameter sets send a new init segment before the keyframe that uses them', () => {
    const live = new LiveFeed();
    feed(small.slice(0, 1), live);
    const viewer = new Viewer();
    live.subscribe(viewer);
    feed(small.slice(1), live);
    feed(large, live);
    const boxes = viewer.boxes();
    const moovs = boxes.map((b, i) => [b.type, i] as const).filter(([type]) => type === 'moov');
    expect(moovs).toHaveLength(2);
    expect(trackConfigOfMovie(Buffer.concat([boxes[moovs[1]![1] - 1]!.body, boxes[moovs[1]![1]]!.body]))).toMatchObject({ width: 640, height: 480 });
    expect(parseMoof(boxes[moovs[1]![1] + 1]!.body).samples[0]!.keyframe).toBe(true);
  });

  it('a gap ends every viewer stream; the feed offers video again from the next keyframe', () => {
    const live = new LiveFeed();
    feed(small.slice(0, 5), live);
    const viewer = new Viewer();
    live.subscribe(viewer);
    live.onGap();
    expect(viewer.ended).toBe(true);
    expect(live.subscribe(new Viewer())).toBeUndefined();
    feed(small.slice(5, 10), live);
    expect(live.subscribe(new Viewer())).toBeUndefined();
    feed(small.slice(10, 11), live);
    expect(live.subscribe(new Viewer())).toBeDefined();
  });
});
