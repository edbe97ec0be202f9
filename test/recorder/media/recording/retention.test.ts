import { existsSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../../../src/media/codec/annex-b.js';
import { checkRecordings } from '../../../../src/recorder/media/recording/check.js';
import { applyRetention, chooseSegmentsToDelete } from '../../../../src/recorder/media/recording/retention.js';
import { DEFAULT_LIMITS } from '../../../../src/recorder/media/recording/segment-plan.js';
import { accessUnits, clipFrames, parameterSetsOf, SMALL_CLIP } from '../../../helpers/clips.js';
import { recordingFixture } from './recording-fixture.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const segment = (id: number, ageDays: number, bytes: number, open = false) => ({ id, endMs: NOW - ageDays * DAY, bytes, open });

describe('which segments retention deletes', () => {
  const segments = [segment(1, 40, 100), segment(2, 31, 100), segment(3, 29, 100), segment(4, 1, 100), segment(5, 0, 100, true)];

  it('deletes nothing without limits', () => {
    expect(chooseSegmentsToDelete(segments, {}, NOW)).toEqual([]);
  });

  it('deletes what ended longer ago than the age limit', () => {
    expect(chooseSegmentsToDelete(segments, { maxAgeDays: 30 }, NOW)).toEqual([1, 2]);
  });

  it('deletes the oldest until the rest fits the quota, and a quota met exactly is enough', () => {
    expect(chooseSegmentsToDelete(segments, { quotaBytes: 300 }, NOW)).toEqual([1, 2]);
    expect(chooseSegmentsToDelete(segments, { quotaBytes: 250 }, NOW)).toEqual([1, 2, 3]);
  });

  it('applies both limits: whichever deletes more', () => {
    expect(chooseSegmentsToDelete(segments, { maxAgeDays: 35, quotaBytes: 350 }, NOW)).toEqual([1, 2]);
    expect(chooseSegmentsToDelete(segments, { maxAgeDays: 30, quotaBytes: 450 }, NOW)).toEqual([1, 2]);
  });

  it('never deletes a segment being written, even over quota', () => {
    expect(chooseSegmentsToDelete(segments, { quotaBytes: 0 }, NOW)).toEqual([1, 2, 3, 4]);
  });
});

describe('retention on real footage', () => {
  let frames: Frame[];
  beforeAll(async () => {
    frames = await clipFrames('h264', SMALL_CLIP);
  });

  let f: ReturnType<typeof recordingFixture>;
  beforeEach(() => {
    f = recordingFixture();
  });
  afterEach(() => f.cleanup());

  it('deletes the oldest segments at the quota, rows and files, leaving index and footage in agreement', async () => {
    const writer = f.writer({ limits: { ...DEFAULT_LIMITS, segment90k: 5 * 90_000 } });
    await f.feed(writer, accessUnits('h264', frames, { count: 20 * 25 }), parameterSetsOf('h264', frames));
    await writer.close();
    const before = f.store.listAll();
    expect(before).toHaveLength(4);
    const quota = before[2]!.bytes + before[3]!.bytes;

    const result = await applyRetention(f.paths.footage, f.store, { quotaBytes: quota }, f.clock.now());
    expect(result).toEqual({ deleted: 2, bytes: before[0]!.bytes + before[1]!.bytes });
    expect(f.store.listAll().map((s) => s.id)).toEqual([before[2]!.id, before[3]!.id]);
    expect(existsSync(f.file(before[0]!.path))).toBe(false);
    expect(existsSync(f.file(before[2]!.path))).toBe(true);
    expect((await checkRecordings(f.paths.footage, f.store, { repair: false })).problems).toEqual([]);
  });
});
