import { isRecoveryMethod } from '../../recorder/recovery/methods.js';
import type { ApiAnswer, ResetGrant } from '../types.js';

/** The grant in a 201 answer of an evidence route, or undefined if the answer is anything else. */
export function resetGrantFrom(answer: ApiAnswer): ResetGrant | undefined {
  const { token, expiresAt, username, method, mayClearTwoFactor } = answer.body;
  if (answer.status !== 201 || typeof token !== 'string' || typeof expiresAt !== 'string' || typeof username !== 'string') return undefined;
  if (typeof method !== 'string' || !isRecoveryMethod(method) || typeof mayClearTwoFactor !== 'boolean') return undefined;
  return { token, expiresAt, username, method, mayClearTwoFactor };
}

/** The API error's code, e.g. `second_factor_required`. */
export function errorCode(answer: ApiAnswer): string | undefined {
  const error = answer.body.error as { code?: unknown } | undefined;
  return typeof error?.code === 'string' ? error.code : undefined;
}

/** What the recorder said was wrong, in its own words, with the wait when there is one. */
export function refusalText(answer: ApiAnswer): string {
  const error = answer.body.error as { message?: unknown } | undefined;
  const message = typeof error?.message === 'string' ? error.message : `The recorder answered with an error (HTTP ${answer.status}).`;
  return answer.retryAfter === null ? message : `${message} Try again in ${Math.ceil(answer.retryAfter / 60)} minute(s).`;
}

/** The body fields for a second-factor code as typed: six digits are an app code, anything else a recovery code. */
export function secondFactorFieldsFor(typed: string): { totp: string } | { recoveryCode: string } {
  const digits = typed.replace(/\s/g, '');
  return /^[0-9]{6}$/.test(digits) ? { totp: digits } : { recoveryCode: typed.trim() };
}
