// Recovery through the cloud account: the offline challenge and response code, and the admin's
// waiting period for cloud resets. The schemas of these routes, and the types clients read them by.
import type { Served } from './served.js';

const stringField = { type: 'string' } as const;
const timeField = { type: 'string', format: 'date-time' } as const;

/** POST /recovery/cloud/challenge: the open offline challenge, to show as text and as a QR code. */
export const offlineChallengeSchema = {
  type: 'object',
  required: ['serial', 'nonce', 'expiresAt', 'text', 'qrPayload', 'qrCode', 'triesLeft'],
  properties: {
    serial: stringField,
    nonce: stringField,
    expiresAt: timeField,
    text: stringField,
    qrPayload: stringField,
    /** The QR code of qrPayload, as a data: URL (PNG) for an img. */
    qrCode: stringField,
    triesLeft: { type: 'integer' },
  },
} as const;

/** POST /recovery/cloud/verify. */
export const offlineAnswerBody = {
  type: 'object',
  required: ['username', 'code'],
  additionalProperties: false,
  properties: {
    // The pattern every account name follows: anything else cannot be an account.
    username: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$' },
    // XXXXX-XXXXX as the cloud shows it, with room for the spaces a person adds.
    code: { type: 'string', minLength: 1, maxLength: 32 },
  },
} as const;

/** POST /recovery/cloud/verify (202) and the online path's answer when the admin set a waiting period. */
export const cloudResetWaitingSchema = {
  type: 'object',
  required: ['claimToken', 'effectiveAt', 'username'],
  properties: { claimToken: stringField, effectiveAt: timeField, username: stringField },
} as const;

/** POST /recovery/cloud/pending/claim. */
export const claimBody = {
  type: 'object',
  required: ['claimToken'],
  additionalProperties: false,
  properties: { claimToken: { type: 'string', minLength: 1, maxLength: 128 } },
} as const;

/** GET /recovery/cloud/pending: the cloud resets waiting, and the waiting period. */
export const pendingCloudResetsSchema = {
  type: 'object',
  required: ['waitHours', 'pending'],
  properties: {
    waitHours: { type: 'integer' },
    pending: {
      type: 'array',
      items: {
        type: 'object',
        required: ['via', 'requestedAt', 'effectiveAt'],
        properties: { via: { type: 'string', enum: ['online', 'offline'] }, requestedAt: timeField, effectiveAt: timeField },
      },
    },
  },
} as const;

/** The cancel routes' answer. */
export const cancelledSchema = {
  type: 'object',
  required: ['cancelled'],
  properties: { cancelled: { type: 'integer' } },
} as const;

/** GET/PUT /settings/cloud-reset. */
export const cloudResetSettingsBody = {
  type: 'object',
  required: ['waitHours'],
  additionalProperties: false,
  properties: { waitHours: { type: 'integer', minimum: 0, maximum: 720 } },
} as const;

export type OfflineChallengeView = Served<typeof offlineChallengeSchema>;
export type OfflineAnswerBody = Served<typeof offlineAnswerBody>;
export type CloudResetWaiting = Served<typeof cloudResetWaitingSchema>;
export type PendingCloudResets = Served<typeof pendingCloudResetsSchema>;
export type CloudResetSettings = Served<typeof cloudResetSettingsBody>;
