import { ApiError } from './api.js';

export interface ShownError {
  /** Distinguishes successive errors (restarts the retry countdown). */
  id: number;
  /** What went wrong, in the recorder's own words. */
  message: string;
  /** What the person can do about it. */
  hint?: string;
  /** Reasons for a rejected password (422). */
  reasons?: string[];
  /** Seconds to wait before trying again (429). */
  retryAfter?: number;
}

const HINTS: Record<string, string> = {
  network_error: 'Check that the recorder is powered on and reachable, then try again.',
  invalid_label_code: 'Type the code exactly as printed on the sticker on the device (dashes and spaces are optional).',
  already_activated: 'The device is already set up. Log in with the admin password.',
  password_rejected: 'Choose a different password.',
  invalid_credentials: 'Check the username and password and try again.',
  invalid_current_password: 'Type the password you use to log in now.',
  csrf_failed: 'Reload the page and try again.',
  not_found: 'It may already be gone. The list has been refreshed.',
  device_inactive: 'The device must be activated first. Reload the page.',
  invalid_code: 'Check the time on your phone, then type the code your app shows now.',
  invalid_challenge: 'Log in again with your username and password.',
  passkeys_need_a_name: 'Open the recorder by its name instead of its IP address, then try again.',
  invalid_passkey: 'Try again, and follow your browser\'s prompt to the end.',
  two_factor_enrolment_required: 'Set up two-step login on the Two-step login page first.',
};

let nextId = 1;

export function describeError(error: unknown): ShownError {
  const id = nextId++;
  if (!(error instanceof ApiError)) {
    return { id, message: 'Something went wrong.', hint: 'Reload the page and try again.' };
  }
  if (error.code === 'too_many_attempts' || error.status === 429) {
    return { id, message: error.message, retryAfter: error.retryAfter ?? 60 };
  }
  const reasons = error.reasons.map((r) => r.message);
  return {
    id,
    message: error.message,
    hint: HINTS[error.code] ?? (error.status >= 500 ? 'Try again in a moment.' : undefined),
    reasons: reasons.length > 0 ? reasons : undefined,
  };
}
