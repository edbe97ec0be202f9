// The decisions of a camera password change, apart from its I/O. Pure.

import { PASSWORD_CHANGE_OUTCOME_NAMES } from '../../api/camera-passwords.js';

/** What one login with one of the two kept passwords told: the camera took it, refused it, or was not reached. */
export type LoginTry = 'ok' | 'refused' | 'unreached';

/**
 * Why a change ended as it did; every outcome but `changed` leaves the current password current.
 * changed: the camera took the new password, a login with it worked, the recorder uses it now.
 * current_refused: the camera refuses the password the recorder holds; nothing was asked of it.
 * new_refused: the camera refused the new password (its own rules).
 * unreachable: the camera was not reached before anything was asked of it.
 * unconfirmed: the camera stopped answering after it was asked; it holds one of the two kept
 *   passwords, and the recorder finds which when it answers again.
 * not_changeable: no password, user name or ONVIF address to change it with.
 */
export type PasswordChangeOutcome = (typeof PASSWORD_CHANGE_OUTCOME_NAMES)[number];

/**
 * What to do with a pending password once logins were tried, the pending one first (after a set
 * the camera most likely holds it, and a right first try spends no failed login on its lockout).
 * `old` is undefined when it was not tried.
 */
export function settlePending(pending: LoginTry, old: LoginTry | undefined): 'commit' | 'abandon' | 'keep_both' {
  if (pending === 'ok') return 'commit';
  if (pending === 'refused' && old === 'ok') return 'abandon';
  // Not reached, or both refused (reset at the camera, or its lockout): either may still be the one.
  return 'keep_both';
}

/**
 * A pending password whose SetUser got no answer is decided only this long after it was asked: the
 * request may still be at work in the camera (hashing the new password on a busy camera takes
 * seconds), and deciding for the old one before it ends would leave the camera with a password the
 * recorder has dropped. Three times the ONVIF call's timeout.
 */
export const SETTLE_AFTER_MS = 30_000;

export function settleable(pendingSince: number, now: number): boolean {
  return now - pendingSince >= SETTLE_AFTER_MS;
}

/** A pending password is tried again this often until one of the two logins is decided. */
export const PENDING_RETRY_MS = 10_000;
/** The schedule is looked at at least this often (a timer of a month does not fit in setTimeout). */
export const SCHEDULE_CHECK_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** A camera as the schedule sees it; `triedAt` is the schedule's last try that failed (it waits an hour before the next). */
export interface ScheduledCamera {
  cameraId: number;
  changedAt: number;
  changeable: boolean;
  pending: boolean;
  triedAt?: number;
}

function dueAt(camera: ScheduledCamera, everyDays: number): number {
  return Math.max(camera.changedAt + everyDays * DAY_MS, (camera.triedAt ?? -Infinity) + SCHEDULE_CHECK_MS);
}

/** The cameras whose password is older than the schedule allows: the ones the recorder can change, with none pending. */
export function dueForRotation(cameras: readonly ScheduledCamera[], everyDays: number | null, now: number): number[] {
  if (everyDays === null) return [];
  return cameras.filter((c) => c.changeable && !c.pending && now >= dueAt(c, everyDays)).map((c) => c.cameraId);
}

/** When the next upkeep pass should run: soon while a change is undecided, else when the next camera falls due (at most an hour away). */
export function nextUpkeepDelay(cameras: readonly ScheduledCamera[], everyDays: number | null, now: number): number {
  if (cameras.some((c) => c.pending)) return PENDING_RETRY_MS;
  if (everyDays === null) return SCHEDULE_CHECK_MS;
  const soonest = Math.min(SCHEDULE_CHECK_MS, ...cameras.filter((c) => c.changeable).map((c) => dueAt(c, everyDays) - now));
  return Math.max(1_000, soonest);
}

/** When the schedule next rotates a camera, for the page; null when off or no camera can be changed. */
export function nextRotationAt(cameras: readonly ScheduledCamera[], everyDays: number | null): number | null {
  if (everyDays === null) return null;
  const due = cameras.filter((c) => c.changeable).map((c) => dueAt(c, everyDays));
  return due.length === 0 ? null : Math.min(...due);
}

const MESSAGES: Record<PasswordChangeOutcome, string> = {
  changed: 'The camera has a new password; the recorder verified a login with it and uses it.',
  current_refused:
    "The camera refuses the password the recorder holds, so nothing was changed. Press the camera's reset button and activate it again from the recorder, or, if you know the password it has now, edit the camera and set it there.",
  new_refused: 'The camera refused the new password (its own rules); it keeps its old one, and recording goes on.',
  unreachable: 'The camera could not be reached; its password is unchanged.',
  unconfirmed:
    'The camera stopped answering while its password was being changed. The recorder keeps both the old and the new password and finds which one the camera has when it answers again.',
  not_changeable: 'The recorder cannot change this camera’s password: it was added by its RTSP address (no ONVIF service), or without a password.',
};

export function describePasswordChange(outcome: PasswordChangeOutcome): string {
  return MESSAGES[outcome];
}

const REFUSED_ADVICE = {
  changeable:
    "The camera refuses the password the recorder holds for it. Press the camera's reset button and activate it again from the recorder, or, if you know the password it has now, edit the camera and set it there.",
  fixed: "The camera refuses the password the recorder holds for it. Edit the camera and set the password it has now, or press the camera's reset button and add it again.",
} as const;

/** What the camera list says about a camera's password: a pending change first, then whether its stream refuses the login. */
export function passwordStatus(camera: { pending: boolean; loginRefused: boolean; changeable: boolean }): {
  state: 'ok' | 'refused' | 'unconfirmed';
  message: string | null;
} {
  if (camera.pending) return { state: 'unconfirmed', message: describePasswordChange('unconfirmed') };
  if (camera.loginRefused) return { state: 'refused', message: camera.changeable ? REFUSED_ADVICE.changeable : REFUSED_ADVICE.fixed };
  return { state: 'ok', message: null };
}
