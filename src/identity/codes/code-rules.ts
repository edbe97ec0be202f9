import type { MethodLockPolicy } from '../lockout/method-lock.js';

/**
 * Pure rules of the one-time codes sent by mail or SMS (to confirm a new address, or to prove one
 * during recovery): their length, lifetime, tries and how many may be sent. The sending and the
 * storage are the caller's.
 */

/** 8 digits: 10^8 codes against at most 5 tries per account and hour. */
export const CONTACT_CODE_DIGITS = 8;
export const CONTACT_CODE_LIFETIME_SECONDS = 15 * 60;
/** Codes and hints sent to one account's addresses per hour: enough for a typo, too few to flood a mailbox. */
export const MAX_SENDS_PER_HOUR = 3;
/** Wrong codes per account and channel (not per code: a new code does not start the count again). */
export const CONTACT_CODE_LOCK: MethodLockPolicy = { maxFailures: 5, blockSeconds: 3600 };
/** Wrong setup codes before the new address is dropped and must be entered again. */
export const MAX_SETUP_CODE_FAILURES = 5;

/** A code sent to confirm a new address, as stored: the address waits until the code comes back. */
export interface PendingCode {
  pendingAddress: string | null;
  pendingExpiresAt: number | null;
  pendingFailures: number;
}

export function sendBudgetLeft(sendsInLastHour: number): boolean {
  return sendsInLastHour < MAX_SENDS_PER_HOUR;
}

export type SetupCodeVerdict = 'no_pending' | 'expired' | 'wrong' | 'right';

/** Whether a setup code confirms the pending address; `matches` is the constant-time comparison's answer. */
export function setupCodeVerdict(contact: PendingCode | undefined, now: number, matches: boolean): SetupCodeVerdict {
  if (!contact?.pendingAddress || contact.pendingExpiresAt === null || contact.pendingFailures >= MAX_SETUP_CODE_FAILURES) return 'no_pending';
  if (contact.pendingExpiresAt <= now) return 'expired';
  return matches ? 'right' : 'wrong';
}
