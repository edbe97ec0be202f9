/**
 * Pure decisions of account recovery (an owner who lost every second factor): whether a request is
 * still waiting, when its next notice is due, when the schedule must look again. The I/O is in
 * account-recovery.ts and account-recovery-schedule.ts; times are milliseconds, as in the core.
 */

/** How long a request waits by default before it removes the second factors: a week of notices. */
export const DEFAULT_RECOVERY_WAIT_SECONDS = 7 * 86_400;
/** A waiting request tells every address of the account again this often. */
export const RECOVERY_NOTICE_INTERVAL_MS = 86_400_000;
/**
 * The longest the schedule sleeps between passes: a request opened on another instance (or a wait
 * shorter than a day) is seen within this long.
 */
export const RECOVERY_PASS_MAX_DELAY_MS = 10 * 60_000;

export type CancelReason = 'owner_login' | 'cancel_link';

/** A request as stored. */
export interface AccountRecovery {
  id: string;
  accountId: number;
  openedAt: number;
  endsAt: number;
  lastNoticeAt: number;
  cancelledAt: number | null;
  completedAt: number | null;
}

type RecoveryTimes = Pick<AccountRecovery, 'endsAt' | 'lastNoticeAt' | 'cancelledAt' | 'completedAt'>;

export type RecoveryState = 'waiting' | 'wait_over' | 'cancelled' | 'completed';

export function recoveryState(r: RecoveryTimes, now: number): RecoveryState {
  if (r.cancelledAt !== null) return 'cancelled';
  if (r.completedAt !== null) return 'completed';
  return now >= r.endsAt ? 'wait_over' : 'waiting';
}

/** What the schedule does with a request now: complete it, send its daily notice, or nothing. */
export function recoveryStep(r: RecoveryTimes, now: number): 'complete' | 'notice' | 'none' {
  const state = recoveryState(r, now);
  if (state === 'wait_over') return 'complete';
  return state === 'waiting' && now - r.lastNoticeAt >= RECOVERY_NOTICE_INTERVAL_MS ? 'notice' : 'none';
}

/** When something is next due for an open request: its next notice or the end of its wait. */
function nextStepAt(r: RecoveryTimes): number {
  return Math.min(r.endsAt, r.lastNoticeAt + RECOVERY_NOTICE_INTERVAL_MS);
}

/** How long the schedule may sleep after a pass: until the first step due, at most RECOVERY_PASS_MAX_DELAY_MS. */
export function nextPassDelay(open: readonly RecoveryTimes[], now: number): number {
  const first = Math.min(...open.filter((r) => r.cancelledAt === null && r.completedAt === null).map(nextStepAt));
  // At least a second: a step another instance took meanwhile must not make this one spin.
  return Math.max(1000, Math.min(RECOVERY_PASS_MAX_DELAY_MS, first - now));
}

/** Whole days left in the wait, rounded up, as the notices say it. */
export function daysLeft(r: Pick<AccountRecovery, 'endsAt'>, now: number): number {
  return Math.max(0, Math.ceil((r.endsAt - now) / 86_400_000));
}
