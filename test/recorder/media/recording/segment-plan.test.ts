import { describe, expect, it } from 'vitest';
import { decideFrame, DEFAULT_LIMITS } from '../../../../src/recorder/media/recording/segment-plan.js';
import { contiguousRanges } from '../../../../src/recorder/media/recording/timeline.js';
import { parseSegmentPath, segmentPath } from '../../../../src/recorder/media/recording/segment-path.js';

const open = { segmentStartPts: 0, fragmentStartPts: 0, lastPts: 3600 };
const frame = (pts90k: number, keyframe = false, newParameters = false) => ({ pts90k, keyframe, newParameters });

describe('what the writer does with a frame', () => {
  it('waits for a keyframe to start', () => {
    expect(decideFrame(undefined, frame(0), DEFAULT_LIMITS)).toBe('skip');
    expect(decideFrame(undefined, frame(0, true), DEFAULT_LIMITS)).toBe('start');
  });

  it('appends within a fragment, and cuts one at a keyframe or after a second', () => {
    expect(decideFrame(open, frame(7200), DEFAULT_LIMITS)).toBe('append');
    expect(decideFrame(open, frame(7200, true), DEFAULT_LIMITS)).toBe('new-fragment');
    expect(decideFrame({ ...open, lastPts: 86_400 }, frame(90_000), DEFAULT_LIMITS)).toBe('new-fragment');
  });

  it('rolls over at the first keyframe 60 s in, not at a frame between keyframes', () => {
    const late = { segmentStartPts: 0, fragmentStartPts: 60 * 90_000 - 3600, lastPts: 60 * 90_000 - 3600 };
    expect(decideFrame(late, frame(60 * 90_000), DEFAULT_LIMITS)).toBe('append');
    expect(decideFrame(late, frame(60 * 90_000, true), DEFAULT_LIMITS)).toBe('roll-over');
  });

  it('rolls over at a keyframe with new parameter sets', () => {
    expect(decideFrame(open, frame(7200, true, true), DEFAULT_LIMITS)).toBe('roll-over');
  });

  it('breaks at a step back in time or a gap longer than the limit, not at one as long', () => {
    expect(decideFrame(open, frame(3600), DEFAULT_LIMITS)).toBe('break');
    expect(decideFrame(open, frame(0), DEFAULT_LIMITS)).toBe('break');
    expect(decideFrame(open, frame(3600 + DEFAULT_LIMITS.maxGap90k + 1, true), DEFAULT_LIMITS)).toBe('break');
    expect(decideFrame(open, frame(3600 + DEFAULT_LIMITS.maxGap90k, true), DEFAULT_LIMITS)).toBe('new-fragment');
  });
});

describe('timeline ranges', () => {
  it('merges segments that touch or nearly touch, and keeps gaps', () => {
    const segments = [
      { startMs: 0, endMs: 60_000 },
      { startMs: 60_000, endMs: 120_000 },
      { startMs: 120_500, endMs: 130_000 },
      { startMs: 140_000, endMs: 150_000 },
    ];
    expect(contiguousRanges(segments)).toEqual([
      { startMs: 0, endMs: 130_000 },
      { startMs: 140_000, endMs: 150_000 },
    ]);
    expect(contiguousRanges(segments, 0)).toHaveLength(3);
  });
});

describe('segment paths', () => {
  it('name camera, UTC day and start, and read back only what they write', () => {
    const start = Date.UTC(2026, 2, 4, 23, 59, 59, 123);
    expect(segmentPath(3, start)).toBe(`3/2026-03-04/${start}.mp4`);
    expect(parseSegmentPath(segmentPath(3, start))).toEqual({ cameraId: 3, startMs: start });
    expect(parseSegmentPath(`3/2026-03-05/${start}.mp4`)).toBeUndefined();
    expect(parseSegmentPath('3/2026-03-04/notes.txt')).toBeUndefined();
    expect(parseSegmentPath(`../2026-03-04/${start}.mp4`)).toBeUndefined();
  });
});
