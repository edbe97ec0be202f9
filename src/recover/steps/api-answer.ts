import type { SecondFactorFields } from '../../recorder/api/recovery.js';

/** The body fields for a second-factor code as typed: six digits are an app code, anything else a recovery code. */
export function secondFactorFieldsFor(typed: string): SecondFactorFields {
  const digits = typed.replace(/\s/g, '');
  return /^[0-9]{6}$/.test(digits) ? { totp: digits } : { recoveryCode: typed.trim() };
}
