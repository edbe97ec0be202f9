import { throttleDecision, type ThrottleDecision } from './attempt-throttle.js';

/**
 * When a client is locked out of an account. Two limits, both counted per account:
 * - each client (an address, or a browser holding a device cookie) gets `userThreshold` (or
 *   `adminThreshold` for admins) failures in a row, then blocks from `baseBlockSeconds` doubling to
 *   `maxBlockSeconds`; only a completed login resets its count (see `attemptEffect`);
 * - all unknown clients together (no device cookie for the account) get at most
 *   `unknownClientGuessesPerHour` password checks an hour, however many addresses they use.
 */
export interface LockoutPolicy {
  userThreshold: number;
  adminThreshold: number;
  /** Failures further apart than this from the latest one no longer count toward a client's streak. */
  windowSeconds: number;
  baseBlockSeconds: number;
  maxBlockSeconds: number;
  unknownClientGuessesPerHour: number;
}

/**
 * 5 failures for every role: a higher limit for admins (Hikvision gives them 7) would tell anyone
 * who counts failures which names are admins. The window is a day so that the doubling can reach
 * the hour: a client that fails again after each block has spread 9 failures over about 63 minutes.
 */
export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = {
  userThreshold: 5,
  adminThreshold: 5,
  windowSeconds: 24 * 3600,
  baseBlockSeconds: 60,
  maxBlockSeconds: 3600,
  unknownClientGuessesPerHour: 100,
};

export const HOUR_SECONDS = 3600;

/** One login attempt of one client on one account. */
export interface LoginAttempt {
  at: number;
  ok: boolean;
}

/**
 * `role` is the account's role in its part; only `'admin'` has a threshold of its own. Accounts that
 * do not exist are treated as users: they lock after the same number of failures.
 */
export function thresholdFor(role: string | undefined, policy: LockoutPolicy): number {
  return role === 'admin' ? policy.adminThreshold : policy.userThreshold;
}

/**
 * Times of the failures after the latest success: a success resets the count. `attempts` are in
 * the order they happened; position, not time, decides, as several can share a millisecond.
 */
export function failureStreak(attempts: readonly LoginAttempt[]): number[] {
  let streakStart = attempts.length;
  while (streakStart > 0 && !attempts[streakStart - 1]!.ok) streakStart--;
  return attempts.slice(streakStart).map((a) => a.at);
}

/** May this client try this account now, given its attempts on it (in the order they happened)? */
export function clientLockDecision(
  attempts: readonly LoginAttempt[],
  now: number,
  policy: LockoutPolicy,
  role: string | undefined,
): ThrottleDecision {
  return throttleDecision(failureStreak(attempts), now, {
    maxAttempts: thresholdFor(role, policy),
    windowSeconds: policy.windowSeconds,
    baseBlockSeconds: policy.baseBlockSeconds,
    maxBlockSeconds: policy.maxBlockSeconds,
  });
}

/**
 * May one more unknown client check a password on this account? Once the hourly budget is spent,
 * the account is closed to unknown clients for an hour from the last guess, so no rolling hour
 * ever holds more than the budget.
 */
export function unknownClientCapDecision(guessTimes: readonly number[], now: number, policy: LockoutPolicy): ThrottleDecision {
  return throttleDecision(guessTimes, now, {
    maxAttempts: policy.unknownClientGuessesPerHour,
    windowSeconds: HOUR_SECONDS,
    baseBlockSeconds: HOUR_SECONDS,
    maxBlockSeconds: HOUR_SECONDS,
  });
}

/** How far back attempts can still matter to either decision. */
export function lockoutHorizonSeconds(policy: LockoutPolicy): number {
  return Math.max(policy.windowSeconds, HOUR_SECONDS) + Math.max(policy.maxBlockSeconds, HOUR_SECONDS);
}

/** One checked step of a login: the password, or the second factor of an account that has one. */
export type LoginStep = { step: 'password'; right: boolean; secondFactorRequired: boolean } | { step: 'second_factor'; right: boolean };

/**
 * What a checked step does to its client's streak. Every attempt is counted as failed before its
 * check runs; the check then lets the failure stand, takes it back, or resets the streak.
 * Only a completed login resets: a right password that still needs a second factor is taken back
 * and nothing more, or whoever knows the password would get a fresh set of code guesses, without
 * the doubling, each time they typed it again.
 */
export function attemptEffect(attempt: LoginStep): 'failure' | 'withdrawn' | 'reset' {
  if (!attempt.right) return 'failure';
  return attempt.step === 'password' && attempt.secondFactorRequired ? 'withdrawn' : 'reset';
}

/** Locks an attempt starts if it fails: the client's own, and the account closing to unknown clients. */
export interface StartedLocks {
  clientRetryAfterSeconds?: number;
  accountRetryAfterSeconds?: number;
}

/**
 * What a failure reserved before its check may do, decided from what the store held when it was
 * reserved (`clientAttempts` with this one last, `unknownClientGuesses` with this one if
 * `countsAsGuess`): refused if the client was locked before it, refused as a guess if the
 * account's budget was spent before it; else admitted, with the locks it starts should it fail.
 * Only the one reservation that crosses a limit sees it allowed before and blocked after.
 */
export function reservationVerdict(
  reserved: { clientAttempts: readonly LoginAttempt[]; unknownClientGuesses: readonly number[] },
  at: number,
  countsAsGuess: boolean,
  policy: LockoutPolicy,
  role: string | undefined,
): { verdict: 'client_locked'; retryAfterSeconds: number } | { verdict: 'budget_spent' } | ({ verdict: 'admitted' } & StartedLocks) {
  const ownBefore = clientLockDecision(reserved.clientAttempts.slice(0, -1), at, policy, role);
  if (!ownBefore.allowed) return { verdict: 'client_locked', retryAfterSeconds: ownBefore.retryAfterSeconds };
  const own = clientLockDecision(reserved.clientAttempts, at, policy, role);
  if (!countsAsGuess) return { verdict: 'admitted', ...(own.allowed ? {} : { clientRetryAfterSeconds: own.retryAfterSeconds }) };
  const guesses = [...reserved.unknownClientGuesses];
  const mine = guesses.lastIndexOf(at);
  if (mine >= 0) guesses.splice(mine, 1);
  if (!unknownClientCapDecision(guesses, at, policy).allowed) return { verdict: 'budget_spent' };
  const budget = unknownClientCapDecision(reserved.unknownClientGuesses, at, policy);
  return {
    verdict: 'admitted',
    ...(own.allowed ? {} : { clientRetryAfterSeconds: own.retryAfterSeconds }),
    ...(budget.allowed ? {} : { accountRetryAfterSeconds: budget.retryAfterSeconds }),
  };
}
