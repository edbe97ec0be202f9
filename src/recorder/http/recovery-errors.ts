import type { StepUpOutcome } from '../accounts/step-up.js';
import { ApiError, tooManyAttempts } from './errors.js';

/** Errors every recovery path answers the same way, so the wizard handles them once. */

export const recoveryLanOnly = () =>
  new ApiError(
    403,
    'recovery_lan_only',
    'This recovery method works only from the local network. Connect to the recorder from your home or office network (or its own screen), or use the recovery key file, the reset button or vendor support.',
  );

export const secondFactorRequired = () =>
  new ApiError(
    401,
    'second_factor_required',
    'This account has two-step login: also enter the code from your authenticator app or one of your recovery codes. Nothing was used up.',
  );

export const invalidSecondFactor = () =>
  new ApiError(401, 'invalid_second_factor', 'That authenticator or recovery code is not right, or it was used already.');

export const methodBlocked = (retryAfterSeconds: number) =>
  new ApiError(
    429,
    'recovery_method_blocked',
    'Too many wrong answers: this recovery method is blocked for now. Wait (see Retry-After) or use another method.',
    { retryAfterSeconds },
    { 'retry-after': String(retryAfterSeconds) },
  );

/** Why a step-up (accounts/step-up.ts: the password again, and the second factor) failed, answered the same wherever one is asked. */
export function stepUpRefusal(failure: Exclude<StepUpOutcome, { ok: true }>): ApiError {
  switch (failure.reason) {
    case 'throttled':
      return tooManyAttempts(failure.retryAfterSeconds);
    case 'invalid_current_password':
      return new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
    case 'second_factor_required':
      return secondFactorRequired();
    case 'invalid_second_factor':
      return invalidSecondFactor();
  }
}
