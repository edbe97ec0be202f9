import type { ReauthFailure } from '../../identity/passwords/reauthentication.js';
import type { PasswordVerdict } from '../../identity/passwords/policy.js';
import { ApiError } from '../../shared/http/api-error.js';

/** The answers the account routes share: the password asked again, and a new password the policy refuses. */
export function reauthRefusal(failure: ReauthFailure): ApiError {
  return failure.reason === 'throttled'
    ? new ApiError(429, 'throttled', 'Too many wrong passwords from here: wait and try again.', undefined, { 'retry-after': String(failure.retryAfterSeconds) })
    : new ApiError(403, 'invalid_current_password', 'Your current password is not right. Nothing was changed.');
}

export const weakPassword = (verdict: PasswordVerdict) =>
  new ApiError(422, 'weak_password', 'Choose a stronger password.', { reasons: verdict.reasons });
