import { describe, expect, it } from 'vitest';
import { admitFrame, BACKLOG_POLICY, episodeOver, withDrop } from '../../../../src/recorder/media/recording/backlog-policy.js';

const MAX = BACKLOG_POLICY.maxBytes;
const P = { bytes: 10_000, keyframe: false };
const KEY = { bytes: 40_000, keyframe: true };

describe('admitFrame', () => {
  it.each([
    ['writing, room left', false, MAX - 20_000, P, true],
    ['writing, exactly full after it', false, MAX - 10_000, P, true],
    ['writing, it does not fit', false, MAX - 9_999, P, false],
    ['writing, a keyframe that does not fit', false, MAX - 20_000, KEY, false],
    ['writing, an empty backlog takes any frame', false, 0, { bytes: MAX * 2, keyframe: false }, true],
    ['dropping, caught up but not a keyframe', true, 0, P, false],
    ['dropping, a keyframe but the disk has not caught up', true, 1, KEY, false],
    ['dropping, caught up and a keyframe: resume', true, 0, KEY, true],
  ])('%s', (_name, dropping, backlog, frame, admitted) => {
    expect(admitFrame(dropping, backlog, frame)).toBe(admitted);
  });

  it('covers a few seconds of a camera at 8 Mbit/s, and more at 2 Mbit/s', () => {
    expect(MAX / (8_000_000 / 8)).toBeGreaterThanOrEqual(4);
    expect(MAX / (2_000_000 / 8)).toBeGreaterThanOrEqual(16);
  });
});

describe('loss episodes', () => {
  it('counts drops into one episode from the first to the last', () => {
    let episode = withDrop(null, 1_000, 500);
    episode = withDrop(episode, 1_040, 700);
    expect(episode).toEqual({ startedAt: 1_000, lastDropAt: 1_040, frames: 2, bytes: 1_200 });
  });

  it.each([
    [59_999, false],
    [60_000, true],
  ])('an episode whose last drop was at 0 is over at %i: %s', (now, over) => {
    expect(episodeOver({ startedAt: 0, lastDropAt: 0, frames: 1, bytes: 1 }, now)).toBe(over);
  });
});
