import { errorDescriber } from '../shared/errors.js';
import { formActionHook } from '../shared/useFormAction.js';
import { refreshingListHook } from '../shared/useRefreshingList.js';

export type { ShownError } from '../shared/errors.js';

/** What to do about each of the cloud's error codes. */
const HINTS: Record<string, string> = {
  network_error: 'Check your connection to the internet, then try again.',
  invalid_credentials: 'Check the email address and the password, then try again.',
  weak_password: 'Choose a different password.',
  invalid_code: 'For a new code, choose "Start again".',
  signup_unavailable: 'Ask whoever runs this cloud to give it a mail server.',
  invalid_second_factor: 'Check the time on your phone, then type the code your app shows now.',
  invalid_current_password: 'Type the password you log in with now.',
  invalid_reset_token: 'Start again from "Forgot password?" for a new code.',
  reset_unavailable: 'Ask whoever runs this cloud to give it a mail server or an SMS gateway.',
  session_not_found: 'It has ended already. The list has been refreshed.',
};

export const describeError = errorDescriber(HINTS);

export const useFormAction = formActionHook(describeError);

export const useRefreshingList = refreshingListHook(describeError);
