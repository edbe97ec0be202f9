import { describe, expect, it } from 'vitest';
import type { ThrottleDecision } from '../../src/identity/lockout/attempt-throttle.js';
import {
  attemptEffect,
  clientLockDecision,
  DEFAULT_LOCKOUT_POLICY,
  failureStreak,
  reservationVerdict,
  thresholdFor,
  unknownClientCapDecision,
  type LockoutPolicy,
  type LoginAttempt,
  type LoginStep,
} from '../../src/identity/lockout/policy.js';
import type { Role } from '../../src/recorder/db/store.js';

const S = 1000;
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const POLICY = DEFAULT_LOCKOUT_POLICY;

const allowed: ThrottleDecision = { allowed: true };
const blocked = (retryAfterSeconds: number): ThrottleDecision => ({ allowed: false, retryAfterSeconds });

const fail = (atSeconds: number): LoginAttempt => ({ at: T0 + atSeconds * S, ok: false });
const success = (atSeconds: number): LoginAttempt => ({ at: T0 + atSeconds * S, ok: true });
/** `n` failures one second apart from `start` seconds. */
const failures = (n: number, start = 0): LoginAttempt[] => Array.from({ length: n }, (_, i) => fail(start + i));
const at = (seconds: number) => T0 + seconds * S;

describe('the policy', () => {
  it('is 5 failures for every role (a higher one for admins would tell which names are admins), 60 s doubling to 1 h, 100 unknown-client guesses an hour', () => {
    expect(POLICY).toMatchObject({ userThreshold: 5, adminThreshold: 5, baseBlockSeconds: 60, maxBlockSeconds: 3600, unknownClientGuessesPerHour: 100 });
  });

  it.each<[Role | undefined, number]>([
    ['admin', 5],
    ['operator', 5],
    ['viewer', 5],
    [undefined, 5], // a name no account has locks like a user's
  ])('threshold for %s is %i', (role, expected) => {
    expect(thresholdFor(role, POLICY)).toBe(expected);
  });
});

describe('clientLockDecision', () => {
  interface Row {
    name: string;
    attempts: LoginAttempt[];
    now: number;
    role?: Role;
    policy?: LockoutPolicy;
    expected: ThrottleDecision;
  }
  const rows: Row[] = [
    { name: 'no attempts', attempts: [], now: at(0), expected: allowed },
    { name: '4 user failures: still allowed', attempts: failures(4), now: at(3), expected: allowed },
    { name: '5 user failures: locked 60 s', attempts: failures(5), now: at(4), expected: blocked(60) },
    { name: '5 user failures, 30 s later: 30 s left', attempts: failures(5), now: at(34), expected: blocked(30) },
    { name: '5 user failures, 60 s later: allowed again', attempts: failures(5), now: at(64), expected: allowed },
    { name: '4 admin failures: still allowed', attempts: failures(4), role: 'admin', now: at(3), expected: allowed },
    { name: '5 admin failures: locked 60 s, as for users', attempts: failures(5), role: 'admin', now: at(4), expected: blocked(60) },
    { name: 'one failure after the first block: 120 s', attempts: [...failures(5), fail(64)], now: at(64), expected: blocked(120) },
    { name: 'again after that: 240 s', attempts: [...failures(5), fail(64), fail(184)], now: at(184), expected: blocked(240) },
    {
      name: 'failing after every block reaches the 1 h cap (60, 120, ... 1920, 3600)',
      attempts: [...failures(5), fail(64), fail(184), fail(424), fail(904), fail(1864), fail(3784)],
      now: at(3784),
      expected: blocked(3600),
    },
    {
      name: 'and stays capped at 1 h',
      attempts: [...failures(5), fail(64), fail(184), fail(424), fail(904), fail(1864), fail(3784), fail(7384)],
      now: at(7384),
      expected: blocked(3600),
    },
    { name: 'a success in between resets the count (3 + success + 3)', attempts: [...failures(3), success(3), ...failures(3, 4)], now: at(6), expected: allowed },
    { name: 'the success resets it, and 5 after it lock again', attempts: [...failures(3), success(3), ...failures(5, 4)], now: at(8), expected: blocked(60) },
    { name: 'a success before all the failures changes nothing', attempts: [success(-10), ...failures(5)], now: at(4), expected: blocked(60) },
    {
      name: 'failures spread wider than the window do not lock',
      attempts: [0, 1, 2, 3, 4].map((i) => fail(i * 1000)),
      policy: { ...POLICY, windowSeconds: 3000 },
      now: at(4000),
      expected: allowed,
    },
    {
      name: 'the same failures inside the window do lock',
      attempts: [0, 1, 2, 3, 4].map((i) => fail(i * 700)),
      policy: { ...POLICY, windowSeconds: 3000 },
      now: at(2800),
      expected: blocked(60),
    },
    {
      name: 'a configured threshold of 3 for users',
      attempts: failures(3),
      policy: { ...POLICY, userThreshold: 3 },
      now: at(2),
      expected: blocked(60),
    },
  ];

  it.each(rows)('$name', ({ attempts, now, role, policy, expected }) => {
    expect(clientLockDecision(attempts, now, policy ?? POLICY, role)).toEqual(expected);
  });

  it('failureStreak keeps only the failures after the latest success, by position even within one millisecond', () => {
    expect(failureStreak([fail(1), success(3), fail(4), fail(5)])).toEqual([at(4), at(5)]);
    expect(failureStreak([fail(1), fail(2), success(3)])).toEqual([]);
    expect(failureStreak([fail(0), success(0), fail(0), fail(0)])).toEqual([at(0), at(0)]);
  });
});

describe('unknownClientCapDecision', () => {
  const guesses = (n: number, gapSeconds: number, start = 0) => Array.from({ length: n }, (_, i) => at(start + i * gapSeconds));
  it.each([
    { name: '99 guesses in an hour: allowed', times: guesses(99, 30), now: at(99 * 30), expected: allowed },
    { name: '100 guesses in an hour: closed for an hour after the last', times: guesses(100, 30), now: at(99 * 30), expected: blocked(3600) },
    { name: 'closed until an hour after the last guess', times: guesses(100, 30), now: at(99 * 30 + 3599), expected: blocked(1) },
    { name: 'open again an hour after the last guess', times: guesses(100, 30), now: at(99 * 30 + 3600), expected: allowed },
    { name: '100 guesses spread over more than an hour: allowed', times: guesses(100, 37), now: at(99 * 37), expected: allowed },
    { name: 'a configured budget of 10', times: guesses(10, 1), now: at(9), policy: { ...POLICY, unknownClientGuessesPerHour: 10 }, expected: blocked(3600) },
  ])('$name', ({ times, now, policy, expected }) => {
    expect(unknownClientCapDecision(times, now, policy ?? POLICY)).toEqual(expected);
  });

  it('no rolling hour holds more than 100 guesses when every guess is made as soon as it is allowed', () => {
    const times: number[] = [];
    for (let t = at(0); t < at(5 * 3600); t += 7 * S) {
      if (unknownClientCapDecision(times, t, POLICY).allowed) times.push(t);
    }
    expect(times.length).toBeGreaterThan(200); // the budget renews: it is not a permanent lock
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 3600 * S).length).toBeLessThanOrEqual(100);
  });
});

describe('what a checked login step does to its client\'s streak', () => {
  it.each<[LoginStep, ReturnType<typeof attemptEffect>]>([
    [{ step: 'password', right: false, secondFactorRequired: false }, 'failure'],
    [{ step: 'password', right: false, secondFactorRequired: true }, 'failure'],
    [{ step: 'password', right: true, secondFactorRequired: false }, 'reset'], // the login is complete
    // Not complete: a reset here would give whoever knows the password fresh code guesses each time.
    [{ step: 'password', right: true, secondFactorRequired: true }, 'withdrawn'],
    [{ step: 'second_factor', right: false }, 'failure'],
    [{ step: 'second_factor', right: true }, 'reset'],
  ])('%o: %s', (attempt, effect) => {
    expect(attemptEffect(attempt)).toBe(effect);
  });
});

describe('what a reserved failure may do, from what the store held when it was reserved (this one last)', () => {
  const now = at(10);
  const mine = { at: now, ok: false };
  const guessTimes = (n: number) => Array.from({ length: n }, (_, i) => at(i - 200));
  it.each<{ name: string; attempts: LoginAttempt[]; guesses: number[]; countsAsGuess: boolean; expected: ReturnType<typeof reservationVerdict> }>([
    { name: 'the first failure: admitted, starts nothing', attempts: [mine], guesses: [now], countsAsGuess: true, expected: { verdict: 'admitted' } },
    { name: 'the 5th failure: admitted, and starts the client\'s lock', attempts: [...failures(4), mine], guesses: [now], countsAsGuess: true, expected: { verdict: 'admitted', clientRetryAfterSeconds: 60 } },
    { name: 'the 6th: the client was locked before it', attempts: [...failures(5), mine], guesses: [now], countsAsGuess: true, expected: { verdict: 'client_locked', retryAfterSeconds: 54 } },
    { name: 'a success before resets the streak', attempts: [...failures(5), success(6), mine], guesses: [now], countsAsGuess: true, expected: { verdict: 'admitted' } },
    { name: 'the 100th guess on the account: admitted, and closes it to unknown clients', attempts: [mine], guesses: [...guessTimes(99), now], countsAsGuess: true, expected: { verdict: 'admitted', accountRetryAfterSeconds: 3600 } },
    { name: 'the 101st: the budget was spent before it', attempts: [mine], guesses: [...guessTimes(100), now], countsAsGuess: true, expected: { verdict: 'budget_spent' } },
    { name: 'no guess (a known browser, or an attempt on a closed account) ignores the budget', attempts: [mine], guesses: guessTimes(100), countsAsGuess: false, expected: { verdict: 'admitted' } },
    { name: 'a locked client is refused before the budget is asked', attempts: [...failures(5), mine], guesses: [...guessTimes(100), now], countsAsGuess: true, expected: { verdict: 'client_locked', retryAfterSeconds: 54 } },
    { name: 'both limits crossed by one failure: both locks start', attempts: [...failures(4), mine], guesses: [...guessTimes(99), now], countsAsGuess: true, expected: { verdict: 'admitted', clientRetryAfterSeconds: 60, accountRetryAfterSeconds: 3600 } },
  ])('$name', ({ attempts, guesses, countsAsGuess, expected }) => {
    expect(reservationVerdict({ clientAttempts: attempts, unknownClientGuesses: guesses }, now, countsAsGuess, POLICY, 'admin')).toEqual(expected);
  });
});
