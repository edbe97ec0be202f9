import { storedText } from './text-schema.js';

// JSON schemas of the cloud's two-factor routes. Any text the cloud stores or looks up refuses NUL
// (see text-schema.ts); WebAuthn objects are checked for their outline here and verified by the
// WebAuthn library.

export const totpCode = { type: 'string', pattern: '^[0-9]{6}$' } as const;
export const password = { type: 'string', minLength: 1, maxLength: 1024 } as const;

/** A WebAuthn credential from the browser, as navigator.credentials answers it (JSON-encoded). */
export const webauthnCredential = {
  type: 'object',
  required: ['id', 'rawId', 'response', 'type'],
  maxProperties: 16,
  properties: {
    id: storedText(1, 1024),
    rawId: storedText(1, 1024),
    type: { type: 'string', enum: ['public-key'] },
    response: { type: 'object', maxProperties: 16 },
  },
} as const;

/** POST /api/v1/login/second-factor: the challenge and exactly one proof. */
export const secondFactorBody = {
  type: 'object',
  required: ['challenge'],
  additionalProperties: false,
  properties: {
    challenge: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    totp: totpCode,
    recoveryCode: storedText(1, 32),
    webauthn: webauthnCredential,
  },
  oneOf: [{ required: ['totp'] }, { required: ['recoveryCode'] }, { required: ['webauthn'] }],
} as const;

/** A change that needs the password again. */
export const reauthBody = {
  type: 'object',
  required: ['currentPassword'],
  additionalProperties: false,
  properties: { currentPassword: password },
} as const;
