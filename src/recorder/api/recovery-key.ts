// The recovery key file: the schemas of these routes, and the types clients read them by.
import { RECOVERY_KEY_FILE_MAX_LENGTH } from './recovery-key-file.js';
import { isoTime, passwordInput } from './common.js';
import { stepUpBody } from './recovery.js';
import type { Served } from './served.js';

const nullableTime = { type: ['string', 'null'], format: 'date-time' } as const;

/** GET /me/recovery/key. */
export const recoveryKeyStatusSchema = {
  type: 'object',
  required: ['active', 'createdAt', 'usedAt'],
  properties: { active: { type: 'boolean' }, createdAt: nullableTime, usedAt: nullableTime },
} as const;

/** POST /me/recovery/key. */
export const recoveryKeyCreateBody = stepUpBody;

/** POST /me/recovery/key: the file, shown only now. */
export const recoveryKeyFileSchema = {
  type: 'object',
  required: ['fileName', 'content', 'createdAt'],
  properties: { fileName: { type: 'string' }, content: { type: 'string' }, createdAt: isoTime },
} as const;

/** POST /recovery/key/verify. */
export const recoveryKeyImportBody = {
  type: 'object',
  required: ['file'],
  additionalProperties: false,
  properties: { file: { type: 'string', minLength: 1, maxLength: RECOVERY_KEY_FILE_MAX_LENGTH } },
} as const;

export type RecoveryKeyStatus = Served<typeof recoveryKeyStatusSchema>;
export type RecoveryKeyFile = Served<typeof recoveryKeyFileSchema>;
export type RecoveryKeyCreateBody = Served<typeof recoveryKeyCreateBody>;
