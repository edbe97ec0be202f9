import { describe, expect, it } from 'vitest';
import { requestedMs } from '../../src/camera/onvif/events-service.js';
import { MAX_PULL_POINTS, PullPoints, TooManyPullPoints } from '../../src/camera/onvif/pull-points.js';

const NOW = Date.UTC(2026, 5, 1);

describe('PullPoints', () => {
  it("belongs to the account that made it: another account's pull, renew or unsubscribe finds nothing", async () => {
    const points = new PullPoints();
    const id = points.create(1, NOW, 60_000, false);
    expect(await points.pull(id, 2, NOW, 10, 0)).toBeUndefined();
    expect(points.renew(id, 2, NOW, 60_000)).toBeUndefined();
    expect(points.unsubscribe(id, 2, NOW)).toBe(false);
    expect(await points.pull(id, 1, NOW, 10, 0)).toEqual([{ at: NOW, active: false, operation: 'Initialized' }]);
  });

  it("ends at its termination time on the camera's clock unless renewed", async () => {
    const points = new PullPoints();
    const id = points.create(1, NOW, 60_000, false);
    expect(points.renew(id, 1, NOW + 59_000, 60_000)).toBe(NOW + 119_000);
    expect(points.find(id, 1, NOW + 118_999)).toBeDefined();
    expect(points.find(id, 1, NOW + 119_000)).toBeUndefined();
    expect(await points.pull(id, 1, NOW + 119_000, 10, 0)).toBeUndefined();
  });

  it('a waiting pull returns as soon as a message is published, with at most the limit', async () => {
    const points = new PullPoints();
    const id = points.create(1, NOW, 60_000, false);
    await points.pull(id, 1, NOW, 10, 0);
    const waiting = points.pull(id, 1, NOW, 1, 60_000);
    points.publish({ at: NOW + 1, active: true, operation: 'Changed' });
    points.publish({ at: NOW + 2, active: false, operation: 'Changed' });
    expect(await waiting).toEqual([{ at: NOW + 1, active: true, operation: 'Changed' }]);
    expect(await points.pull(id, 1, NOW, 10, 0)).toEqual([{ at: NOW + 2, active: false, operation: 'Changed' }]);
  });

  it(`holds at most ${MAX_PULL_POINTS} live subscriptions; ended ones make room`, () => {
    const points = new PullPoints();
    for (let i = 0; i < MAX_PULL_POINTS; i++) points.create(1, NOW, 60_000, false);
    expect(() => points.create(1, NOW, 60_000, false)).toThrow(TooManyPullPoints);
    expect(() => points.create(1, NOW + 60_000, 60_000, false)).not.toThrow();
  });

  it('close answers a waiting pull', async () => {
    const points = new PullPoints();
    const id = points.create(1, NOW, 60_000, false);
    await points.pull(id, 1, NOW, 10, 0);
    const waiting = points.pull(id, 1, NOW, 10, 60_000);
    points.close();
    expect(await waiting).toEqual([]);
  });
});

describe('requestedMs', () => {
  it.each([
    ['PT1M', 60_000],
    ['PT90S', 90_000],
    ['PT1H2M3S', 3_723_000],
    ['PT0.5S', 500],
    ['PT', undefined],
    ['soon', undefined],
    [undefined, undefined],
    [new Date(NOW + 30_000).toISOString(), 30_000],
  ])('%s', (text, expected) => {
    expect(requestedMs(text, NOW)).toBe(expected);
  });
});
