import type { Clock } from '../../shared/clock.js';
import type { FactorChecking } from '../../identity/two-factor/factor-checks.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import { checkRecoverySecondFactor, type RecoverySecondFactorProof } from '../recovery/weak-path-guard.js';
import { countFailedAttempt, type FailureCounting } from './failed-attempts.js';
import { reauthenticate } from './reauthenticate.js';
import type { Authenticated } from './sessions.js';

export type StepUpOutcome =
  | { ok: true }
  | { ok: false; reason: 'throttled'; retryAfterSeconds: number }
  | { ok: false; reason: 'invalid_current_password' | 'second_factor_required' | 'invalid_second_factor' };

export type StepUpParts = FailureCounting & FactorChecking & { hasher: PasswordHasher; clock: Clock };

/**
 * The password again and, when the account has one, its second factor (an authenticator or a
 * recovery code, spent here): for what a stolen session alone must never get, such as a standing
 * way back in or a secret shown once. Wrong answers count against the source as wrong logins do.
 */
export async function reauthenticateWithSecondFactor(
  ctx: StepUpParts,
  auth: Authenticated,
  input: { currentPassword: string; proof: RecoverySecondFactorProof; sourceIp: string },
): Promise<StepUpOutcome> {
  const reauth = await reauthenticate(ctx, auth, input.currentPassword, input.sourceIp);
  if (!reauth.ok) return reauth;
  const secondFactor = await checkRecoverySecondFactor(ctx, auth.user, input.proof);
  if (secondFactor === 'missing') return { ok: false, reason: 'second_factor_required' };
  if (secondFactor === 'wrong') {
    countFailedAttempt(ctx, input.sourceIp);
    return { ok: false, reason: 'invalid_second_factor' };
  }
  return { ok: true };
}
