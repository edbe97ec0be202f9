import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  bitrateOf,
  deriveStatus,
  expiredSamples,
  failuresAfter,
  isFrozen,
  SUPERVISOR_POLICY,
  type SupervisorFacts,
} from '../../../../src/recorder/media/cameras/supervisor-policy.js';

describe('backoffDelay', () => {
  it.each([
    // failures, random, delay: 1 s doubling, capped at 30 s; jitter takes off up to half
    [1, 0, 1_000],
    [2, 0, 2_000],
    [3, 0, 4_000],
    [4, 0, 8_000],
    [5, 0, 16_000],
    [6, 0, 30_000],
    [7, 0, 30_000],
    [1_000, 0, 30_000],
    [1, 0.5, 750],
    [1, 0.999, 500],
    [5, 0.5, 12_000],
    [6, 0.999, 15_015],
    [0, 0, 1_000],
  ])('after %i failures with random %f waits %i ms', (failures, random, delay) => {
    expect(backoffDelay(failures, random)).toBe(delay);
  });

  it('stays within [half, whole] of the doubling for every draw', () => {
    for (let failures = 1; failures <= 12; failures++) {
      const ceiling = Math.min(30_000, 1_000 * 2 ** (failures - 1));
      for (const random of [0, 0.1, 0.25, 0.5, 0.75, 0.9999]) {
        const delay = backoffDelay(failures, random);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });
});

describe('failuresAfter', () => {
  it.each([
    // previous failures, connected at, ended at, failures now
    [0, null, 5_000, 1], // never connected
    [3, null, 5_000, 4],
    [3, 0, 59_999, 4], // dropped within a minute: keeps doubling
    [3, 0, 60_000, 1], // a stable minute: starts again
    [9, 1_000, 200_000, 1],
    [0, 0, 0, 1], // accepted and dropped at once
  ])('from %i, connected at %s, ended at %i: %i', (previous, connectedAt, endedAt, next) => {
    expect(failuresAfter(previous, connectedAt, endedAt)).toBe(next);
  });
});

describe('isFrozen', () => {
  it.each([
    [0, 0, false],
    [0, 5_999, false],
    [0, 6_000, true],
    [0, 60_000, true],
    [5_000, 10_999, false],
  ])('last activity %i, now %i: %s', (last, now, frozen) => {
    expect(isFrozen(last, now)).toBe(frozen);
  });

  it('with the watchdog interval, a frozen camera is noticed within 6.5 s of its last frame: 3.5 s to spare for late timers', () => {
    expect(SUPERVISOR_POLICY.freezeAfterMs + SUPERVISOR_POLICY.watchdogIntervalMs).toBeLessThanOrEqual(6_500);
  });

  it('a camera at 1 frame a second may miss five frames in a row before it counts as frozen', () => {
    expect(SUPERVISOR_POLICY.freezeAfterMs).toBeGreaterThanOrEqual(6 * 1_000);
  });
});

describe('the bitrate window', () => {
  const samples = [
    { at: 1_000, bytes: 1_000 },
    { at: 2_000, bytes: 1_000 },
    { at: 5_500, bytes: 2_000 },
    { at: 6_000, bytes: 1_000 },
  ];

  it.each([
    [6_000, 1], // window (1 000, 6 000]: the first has left
    [7_000, 2],
    [10_500, 3],
    [11_000, 4],
    [0, 0],
  ])('at %i, %i samples have expired', (now, expired) => {
    expect(expiredSamples(samples, now)).toBe(expired);
  });

  it.each([
    // now, streaming since, bits per second
    [6_000, 0, Math.round(((1_000 + 2_000 + 1_000) * 8 * 1000) / 5_000)],
    [10_500, 0, Math.round((1_000 * 8 * 1000) / 5_000)],
    [6_000, 4_000, Math.round(((1_000 + 2_000 + 1_000) * 8 * 1000) / 2_000)], // online 2 s: over 2 s
    [6_000, 5_800, Math.round(((1_000 + 2_000 + 1_000) * 8 * 1000) / 1_000)], // never under 1 s
  ])('at %i since %i: %i b/s', (now, since, bitrate) => {
    expect(bitrateOf(samples, since, now)).toBe(bitrate);
  });

  it('is null without frames in the window', () => {
    expect(bitrateOf([], 0, 10_000)).toBeNull();
    expect(bitrateOf(samples, 0, 20_000)).toBeNull();
  });
});

describe('deriveStatus', () => {
  const facts = (over: Partial<SupervisorFacts>): SupervisorFacts => ({ phase: { kind: 'connecting' }, lastFrameAt: null, samples: [], problem: null, ...over });

  it.each<[string, SupervisorFacts, number, object]>([
    ['not running', facts({ phase: { kind: 'stopped' }, problem: 'lost', lastFrameAt: 5 }), 100, { state: 'disabled', problem: null, lastFrameAt: 5 }],
    ['connecting the first time', facts({}), 100, { state: 'connecting', problem: null, retryAt: null }],
    ['connecting again after a refusal', facts({ problem: 'unauthorized' }), 100, { state: 'connecting', problem: 'unauthorized' }],
    ['waiting to retry', facts({ phase: { kind: 'waiting', until: 4_000 }, problem: 'unreachable', lastFrameAt: 50 }), 100, { state: 'offline', retryAt: 4_000, lastFrameAt: 50, bitrate: null }],
    ['connected, no frame yet', facts({ phase: { kind: 'streaming', since: 1_000 } }), 1_500, { state: 'connecting' }],
    ['connected, only a frame of the previous connection', facts({ phase: { kind: 'streaming', since: 1_000 }, lastFrameAt: 900 }), 1_500, { state: 'connecting', lastFrameAt: 900 }],
    [
      'receiving',
      facts({ phase: { kind: 'streaming', since: 0 }, lastFrameAt: 5_000, samples: [{ at: 5_000, bytes: 625 }], problem: 'lost' }),
      5_000,
      { state: 'online', bitrate: 1_000, problem: null, lastFrameAt: 5_000 },
    ],
    ['connected, last frame 6 s ago', facts({ phase: { kind: 'streaming', since: 0 }, lastFrameAt: 1_000 }), 7_000, { state: 'connecting' }],
  ])('%s', (_name, input, now, expected) => {
    expect(deriveStatus(input, now)).toMatchObject(expected);
  });
});
