import { isRecoveryMethod } from '../../recorder/api/recovery-methods.js';
import type { ApiAnswer, ResetGrant } from '../types.js';

/** The grant in a 201 answer of an evidence route, or undefined if the answer is anything else. */
export function resetGrantFrom(answer: ApiAnswer): ResetGrant | undefined {
  const { token, expiresAt, username, method, mayClearTwoFactor } = answer.body;
  if (answer.status !== 201 || typeof token !== 'string' || typeof expiresAt !== 'string' || typeof username !== 'string') return undefined;
  if (typeof method !== 'string' || !isRecoveryMethod(method) || typeof mayClearTwoFactor !== 'boolean') return undefined;
  return { token, expiresAt, username, method, mayClearTwoFactor };
}

/** The body fields for a second-factor code as typed: six digits are an app code, anything else a recovery code. */
export function secondFactorFieldsFor(typed: string): { totp: string } | { recoveryCode: string } {
  const digits = typed.replace(/\s/g, '');
  return /^[0-9]{6}$/.test(digits) ? { totp: digits } : { recoveryCode: typed.trim() };
}
