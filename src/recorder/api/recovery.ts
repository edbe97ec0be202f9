// Recovery of the admin account: the last step every path shares (the reset), how ready the
// recorder is, and its recovery settings; with the schemas every path's verify route answers
// (a reset grant) and accepts (a second factor). The types clients read them by.
import { passwordInput } from './common.js';
import type { Served } from './served.js';

/** The JSON schema of a grant, for every path's evidence route. */
export const resetGrantSchema = {
  type: 'object',
  required: ['token', 'expiresAt', 'username', 'method', 'mayClearTwoFactor'],
  properties: {
    token: { type: 'string' },
    expiresAt: { type: 'string', format: 'date-time' },
    username: { type: 'string' },
    method: { type: 'string' },
    mayClearTwoFactor: { type: 'boolean' },
  },
} as const;

/** The body fields a weak path's verify route (and the recovery key export) accepts for the second factor. */
export const secondFactorFields = {
  totp: { type: 'string', minLength: 1, maxLength: 16 },
  recoveryCode: { type: 'string', minLength: 1, maxLength: 32 },
} as const;

/** The password again, and the second factor when the account has one: what a step-up (a secret shown once) takes. */
export const stepUpBody = {
  type: 'object',
  required: ['currentPassword'],
  additionalProperties: false,
  properties: { currentPassword: passwordInput, ...secondFactorFields },
} as const;

export const recoverySettingsBody = {
  type: 'object',
  required: ['weakPathsLanOnly', 'questionBlockMinutes'],
  properties: { weakPathsLanOnly: { type: 'boolean' }, questionBlockMinutes: { type: 'integer', minimum: 1, maximum: 1440 } },
} as const;

/** GET /recovery/readiness. */
export const readinessSchema = {
  type: 'object',
  required: ['level', 'configured', 'strongCount', 'weakCount'],
  properties: {
    level: { type: 'string', enum: ['none', 'weak_only', 'ready'] },
    configured: { type: 'array', items: { type: 'string' } },
    strongCount: { type: 'integer' },
    weakCount: { type: 'integer' },
  },
} as const;

/** POST /recovery/reset: the grant of a recovery path and the new password. */
export const recoveryResetBody = {
  type: 'object',
  required: ['token', 'newPassword'],
  additionalProperties: false,
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 128 },
    newPassword: { type: 'string', minLength: 1, maxLength: 1024 },
    clearTwoFactor: { type: 'boolean' },
  },
} as const;

/** POST /recovery/reset. */
export const recoveryResetSchema = {
  type: 'object',
  required: ['username', 'revokedSessions', 'twoFactorCleared'],
  properties: { username: { type: 'string' }, revokedSessions: { type: 'integer' }, twoFactorCleared: { type: 'boolean' } },
} as const;

export type RecoverySettings = Served<typeof recoverySettingsBody>;
export type RecoveryResetBody = Served<typeof recoveryResetBody>;
export type RecoveryReset = Served<typeof recoveryResetSchema>;
export type RecoveryReadiness = Served<typeof readinessSchema>;
export type ResetGrant = Served<typeof resetGrantSchema>;
type SecondFactorBody = Served<{ type: 'object'; properties: typeof secondFactorFields }>;
/** One second factor, as a weak path's verify route takes it: an authenticator code or a recovery code. */
export type SecondFactorFields = { [Field in keyof SecondFactorBody]-?: Required<Pick<SecondFactorBody, Field>> }[keyof SecondFactorBody];
