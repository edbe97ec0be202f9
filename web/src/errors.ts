import { errorDescriber } from '../shared/errors.js';

export type { ShownError } from '../shared/errors.js';

/** What to do about each of the recorder's error codes. */
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

export const describeError = errorDescriber(HINTS);
