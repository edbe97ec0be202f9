import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  AttemptThrottle,
  MemoryAttemptTimes,
  throttleDecision,
  type AttemptTimes,
  type ThrottleDecision,
  type ThrottlePolicy,
} from '../../src/identity/lockout/attempt-throttle.js';
import { ManualClock } from '../../src/shared/clock.js';
import { createSourceAttemptsStore } from '../../src/recorder/db/source-attempts-store.js';
import { openDatabase } from '../../src/recorder/db/store.js';

const S = 1000; // ms per second
const MIN = 60 * S;

/** 5 failures in 15 minutes, then 60 s doubling up to 1 h. */
const POLICY: ThrottlePolicy = { maxAttempts: 5, windowSeconds: 15 * 60, baseBlockSeconds: 60, maxBlockSeconds: 3600 };

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

/** `count` failures, one every `gapSeconds`, starting at T0. */
function failuresEvery(count: number, gapSeconds: number, start = T0): number[] {
  return Array.from({ length: count }, (_, i) => start + i * gapSeconds * S);
}

const allowed: ThrottleDecision = { allowed: true };
const blocked = (retryAfterSeconds: number): ThrottleDecision => ({ allowed: false, retryAfterSeconds });

describe('throttleDecision', () => {
  interface Row {
    name: string;
    failures: number[];
    now: number;
    policy?: ThrottlePolicy;
    expected: ThrottleDecision;
  }

  const burst = (n: number) => failuresEvery(n, 1); // n failures one second apart: latest at T0 + (n-1) s
  const latestOf = (f: number[]) => Math.max(...f);

  const rows: Row[] = [
    { name: 'no failures at all', failures: [], now: T0, expected: allowed },
    { name: 'one failure', failures: [T0], now: T0, expected: allowed },
    { name: 'one under the limit (4 of 5)', failures: burst(4), now: latestOf(burst(4)), expected: allowed },
    {
      name: 'at the limit: blocked for baseBlockSeconds from the latest failure',
      failures: burst(5),
      now: latestOf(burst(5)),
      expected: blocked(60),
    },
    {
      name: 'at the limit, 1 s into the block: retryAfter counts down',
      failures: burst(5),
      now: latestOf(burst(5)) + 1 * S,
      expected: blocked(59),
    },
    {
      name: 'at the limit, retryAfter rounds a partial second up',
      failures: burst(5),
      now: latestOf(burst(5)) + 59 * S + 1,
      expected: blocked(1),
    },
    {
      name: 'at the limit, exactly when the block ends: allowed',
      failures: burst(5),
      now: latestOf(burst(5)) + 60 * S,
      expected: allowed,
    },
    {
      name: 'failures given out of order count the same',
      failures: burst(5).reverse(),
      now: latestOf(burst(5)) + 10 * S,
      expected: blocked(50),
    },
    {
      name: '5 failures spread over more than the window (one every 226 s) never block',
      failures: failuresEvery(5, 226),
      now: T0 + 4 * 226 * S,
      expected: allowed,
    },
    {
      name: '20 failures one every 4 minutes (at most 4 in any 15 minutes) never block',
      failures: failuresEvery(20, 240),
      now: T0 + 19 * 240 * S,
      expected: allowed,
    },
    {
      name: 'a failure exactly one window before the latest no longer counts',
      failures: [T0, ...failuresEvery(4, 1, T0 + 890 * S).slice(0, 3), T0 + 900 * S],
      now: T0 + 900 * S,
      expected: allowed,
    },
    {
      name: 'a failure just inside the window still counts',
      failures: [T0 + 1, ...failuresEvery(3, 1, T0 + 890 * S), T0 + 900 * S],
      now: T0 + 900 * S,
      expected: blocked(60),
    },
    { name: '1 beyond the limit: 120 s', failures: burst(6), now: latestOf(burst(6)), expected: blocked(120) },
    { name: '2 beyond the limit: 240 s', failures: burst(7), now: latestOf(burst(7)), expected: blocked(240) },
    { name: '3 beyond the limit: 480 s', failures: burst(8), now: latestOf(burst(8)), expected: blocked(480) },
    { name: '5 beyond the limit: 1920 s', failures: burst(10), now: latestOf(burst(10)), expected: blocked(1920) },
    { name: '6 beyond the limit: capped at 3600 s', failures: burst(11), now: latestOf(burst(11)), expected: blocked(3600) },
    { name: '1000 beyond the limit: still capped', failures: burst(1005), now: latestOf(burst(1005)), expected: blocked(3600) },
    {
      name: 'a 1 h block outlives the 15 min window: still blocked 40 minutes later',
      failures: burst(11),
      now: latestOf(burst(11)) + 40 * MIN,
      expected: blocked(20 * 60),
    },
    {
      name: 'a 1 h block ends after exactly 1 h',
      failures: burst(11),
      now: latestOf(burst(11)) + 60 * MIN,
      expected: allowed,
    },
    {
      name: 'after a 60 s block ends, one more failure blocks again for 120 s',
      failures: [...burst(5), latestOf(burst(5)) + 60 * S],
      now: latestOf(burst(5)) + 60 * S,
      expected: blocked(120),
    },
    {
      name: 'after that 120 s block ends, one more failure blocks for 240 s',
      failures: [...burst(5), latestOf(burst(5)) + 60 * S, latestOf(burst(5)) + 180 * S],
      now: latestOf(burst(5)) + 180 * S,
      expected: blocked(240),
    },
    {
      name: 'a block set with a large base is capped by maxBlockSeconds',
      failures: burst(3),
      now: latestOf(burst(3)),
      policy: { maxAttempts: 3, windowSeconds: 60, baseBlockSeconds: 7200, maxBlockSeconds: 3600 },
      expected: blocked(3600),
    },
    {
      name: 'maxAttempts 1: the first failure blocks',
      failures: [T0],
      now: T0 + 30 * S,
      policy: { maxAttempts: 1, windowSeconds: 60, baseBlockSeconds: 60, maxBlockSeconds: 600 },
      expected: blocked(30),
    },
  ];

  it.each(rows)('$name', ({ failures, now, policy, expected }) => {
    expect(throttleDecision(failures, now, policy ?? POLICY)).toEqual(expected);
  });

  it('does not change the list it is given', () => {
    const failures = Object.freeze(burst(7));
    throttleDecision(failures, T0, POLICY);
    expect(failures).toEqual(burst(7));
  });

  it('property: failures never closer than window/(maxAttempts-1) never block', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 10 }),
        fc.integer({ min: 1, max: 3600 }),
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 0, max: 10 }),
        fc.integer({ min: 0, max: 7200 }),
        fc.integer({ min: 0, max: 7200 * S }),
        (maxAttempts, windowSeconds, count, extraGapSeconds, baseBlockSeconds, afterLatest) => {
          const policy = { maxAttempts, windowSeconds, baseBlockSeconds, maxBlockSeconds: 7200 };
          const gap = Math.ceil(windowSeconds / (maxAttempts - 1)) + extraGapSeconds;
          const failures = failuresEvery(count, gap);
          expect(throttleDecision(failures, Math.max(...failures) + afterLatest, policy)).toEqual(allowed);
        },
      ),
    );
  });

  it('property: a burst over the limit blocks for min(base * 2^excess, max), counted from the latest failure', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 1, max: 86_400 }),
        fc.nat({ max: 100_000 }),
        (maxAttempts, excess, baseBlockSeconds, maxBlockSeconds, elapsedMs) => {
          const policy = { maxAttempts, windowSeconds: 3600, baseBlockSeconds, maxBlockSeconds };
          const failures = failuresEvery(maxAttempts + excess, 1);
          const latest = Math.max(...failures);
          const block = Math.min(baseBlockSeconds * 2 ** excess, maxBlockSeconds);
          const decision = throttleDecision(failures, latest + elapsedMs, policy);
          if (elapsedMs >= block * S) expect(decision).toEqual(allowed);
          else expect(decision).toEqual(blocked(Math.ceil((block * S - elapsedMs) / S)));
        },
      ),
    );
  });

  it('property: retryAfter is always between 1 s and maxBlockSeconds', () => {
    let blockedRuns = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30 * 60 * S }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 2 * 3600 * S }),
        (offsets, sinceLatest) => {
          const failures = offsets.map((o) => T0 + o);
          // Failures are recorded at "now", so now is never before the latest one.
          const decision = throttleDecision(failures, Math.max(...failures) + sinceLatest, POLICY);
          if (!decision.allowed) {
            blockedRuns++;
            expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
            expect(decision.retryAfterSeconds).toBeLessThanOrEqual(POLICY.maxBlockSeconds);
          }
        },
      ),
      { numRuns: 500 },
    );
    expect(blockedRuns).toBeGreaterThan(10); // the property was really exercised on blocks
  });
});

// The same behaviour whether the times are kept in memory or, for the per-source throttle, in the database.
describe.each<[string, () => AttemptTimes]>([
  ['AttemptThrottle in memory', () => new MemoryAttemptTimes()],
  ['AttemptThrottle in SQLite', () => createSourceAttemptsStore(openDatabase(':memory:'))],
])('%s', (_name, storage) => {
  const make = (policy = POLICY) => {
    const clock = new ManualClock(T0);
    return { clock, throttle: new AttemptThrottle(policy, clock, storage()) };
  };
  const fail = (throttle: AttemptThrottle, key: string, times: number) => {
    for (let i = 0; i < times; i++) throttle.record(key);
  };

  it('allows a key it has never seen', () => {
    const { throttle } = make();
    expect(throttle.check('198.51.100.7')).toEqual(allowed);
  });

  it('blocks a key at the limit, for baseBlockSeconds, and lets it go when the block ends', () => {
    const { clock, throttle } = make();
    fail(throttle, 'a', 4);
    expect(throttle.check('a')).toEqual(allowed);
    fail(throttle, 'a', 1);
    expect(throttle.check('a')).toEqual(blocked(60));
    clock.advance(59);
    expect(throttle.check('a')).toEqual(blocked(1));
    clock.advance(1);
    expect(throttle.check('a')).toEqual(allowed);
    // One more failure after the block: twice as long.
    fail(throttle, 'a', 1);
    expect(throttle.check('a')).toEqual(blocked(120));
  });

  it('reserve counts an attempt unless the key was blocked before it, and a refused one counts nothing', () => {
    const { clock, throttle } = make();
    for (let i = 0; i < 5; i++) expect(throttle.reserve('a')).toEqual({ allowed: true, at: clock.now() });
    expect(throttle.reserve('a')).toEqual(blocked(60));
    expect(throttle.reserve('a')).toEqual(blocked(60));
    clock.advance(60);
    // Not doubled by the refused ones: one more failure after the block blocks for 120 s, not more.
    const next = throttle.reserve('a');
    expect(next).toEqual({ allowed: true, at: clock.now() });
    expect(throttle.check('a')).toEqual(blocked(120));
    throttle.withdraw('a', clock.now());
    expect(throttle.check('a')).toEqual(allowed);
  });

  it('keeps keys independent', () => {
    const { throttle } = make();
    fail(throttle, '203.0.113.1', 5);
    fail(throttle, '203.0.113.2', 4);
    expect(throttle.check('203.0.113.1')).toEqual(blocked(60));
    expect(throttle.check('203.0.113.2')).toEqual(allowed);
    expect(throttle.check('203.0.113.3')).toEqual(allowed);
    fail(throttle, '203.0.113.2', 2);
    expect(throttle.check('203.0.113.2')).toEqual(blocked(120));
    expect(throttle.check('203.0.113.1')).toEqual(blocked(60));
  });

  it('clear resets one key: blocked before, allowed after, and the count starts again from zero', () => {
    const { throttle } = make();
    fail(throttle, 'a', 8);
    fail(throttle, 'b', 5);
    expect(throttle.check('a')).toEqual(blocked(480));
    throttle.clear('a');
    expect(throttle.check('a')).toEqual(allowed);
    expect(throttle.check('b')).toEqual(blocked(60)); // other keys untouched
    fail(throttle, 'a', 4);
    expect(throttle.check('a')).toEqual(allowed);
    fail(throttle, 'a', 1);
    expect(throttle.check('a')).toEqual(blocked(60));
  });

  it('failures older than the window are forgotten', () => {
    const { clock, throttle } = make();
    fail(throttle, 'a', 4);
    clock.advance(15 * 60);
    fail(throttle, 'a', 4);
    expect(throttle.check('a')).toEqual(allowed);
    fail(throttle, 'a', 1);
    expect(throttle.check('a')).toEqual(blocked(60));
  });

  it('a 1 h block outlives the 15 min window', () => {
    const { clock, throttle } = make();
    fail(throttle, 'a', 11);
    expect(throttle.check('a')).toEqual(blocked(3600));
    clock.advance(40 * 60);
    expect(throttle.check('a')).toEqual(blocked(20 * 60));
    clock.advance(20 * 60);
    expect(throttle.check('a')).toEqual(allowed);
  });

  it('memory pruning under a flood of > 50,000 keys does not forget a key that is still blocked', () => {
    const { clock, throttle } = make();
    // An old flood, long settled by the time the next one comes: pruning has something to drop.
    for (let i = 0; i < 50_000; i++) throttle.record(`old-${i}`);
    clock.advance(3 * 3600);

    fail(throttle, 'victim', 11); // blocked for the maximum, 1 h
    fail(throttle, 'short', 5); // blocked for 60 s
    // 40 minutes on, the victim's failures are all outside the window, but its block is not over.
    clock.advance(40 * 60);
    fail(throttle, 'recent', 5);
    for (let i = 0; i < 50_010; i++) throttle.record(`flood-${i}`);

    expect(throttle.check('victim')).toEqual(blocked(20 * 60));
    expect(throttle.check('recent')).toEqual(blocked(60));
    expect(throttle.check('short')).toEqual(allowed); // its 60 s block is long over
    // Flooded keys still count their own failures.
    fail(throttle, 'flood-7', 4);
    expect(throttle.check('flood-7')).toEqual(blocked(60));

    // And the victim's block keeps running to its end, not beyond.
    clock.advance(20 * 60 - 1);
    expect(throttle.check('victim')).toEqual(blocked(1));
    clock.advance(1);
    expect(throttle.check('victim')).toEqual(allowed);
  });
});
