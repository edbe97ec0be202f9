/**
 * The body of a login's second step, the same for the recorder and the cloud: the challenge the
 * password step gave and exactly one proof. Text refuses NUL because the cloud's PostgreSQL cannot
 * hold it (a recovery code never contains one, so the recorder loses nothing). A WebAuthn
 * credential is checked here for its outline only; the WebAuthn library verifies it.
 */
const noNul = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength, pattern: '^[^\\u0000]*$' }) as const;

export const totpCode = { type: 'string', pattern: '^[0-9]{6}$' } as const;

/** A WebAuthn credential from the browser, as navigator.credentials answers it (JSON-encoded). */
export const webauthnCredential = {
  type: 'object',
  required: ['id', 'rawId', 'response', 'type'],
  maxProperties: 16,
  properties: {
    id: noNul(1024),
    rawId: noNul(1024),
    type: { type: 'string', enum: ['public-key'] },
    response: { type: 'object', maxProperties: 16 },
  },
} as const;

export const secondFactorBody = {
  type: 'object',
  required: ['challenge'],
  additionalProperties: false,
  properties: {
    challenge: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' },
    totp: totpCode,
    recoveryCode: noNul(32),
    webauthn: webauthnCredential,
  },
  oneOf: [{ required: ['totp'] }, { required: ['recoveryCode'] }, { required: ['webauthn'] }],
} as const;
