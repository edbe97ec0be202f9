// Two-factor login (authenticator app, passkeys, recovery codes) and its policy: the schemas of
// these routes, and the types clients read them by.
import { isoTime, passwordInput } from './common.js';
import { secondFactorBody, totpCode } from '../../shared/http/second-factor-body.js';
import type { Served } from './served.js';

export { secondFactorBody };

export const reauthBody = {
  type: 'object',
  required: ['currentPassword'],
  additionalProperties: false,
  properties: { currentPassword: passwordInput },
} as const;

export const recoveryCodesBody = {
  type: 'object',
  required: ['recoveryCodes'],
  properties: { recoveryCodes: { type: 'array', items: { type: 'string' } } },
} as const;

export const statusSchema = {
  type: 'object',
  required: ['enabled', 'totp', 'passkeys', 'recoveryCodesRemaining', 'requiredForEveryone', 'enrolmentRequired'],
  properties: {
    enabled: { type: 'boolean' },
    totp: { type: 'string', enum: ['off', 'pending', 'on'] },
    passkeys: { type: 'integer' },
    recoveryCodesRemaining: { type: 'integer' },
    requiredForEveryone: { type: 'boolean' },
    enrolmentRequired: { type: 'boolean' },
  },
} as const;

/** A passkey registration from the browser: opaque to the schema, bounded, checked by the WebAuthn library. */
const webauthnJson = { type: 'object', maxProperties: 16 } as const;

/** The answer to a right password when the account has 2FA: no cookie yet, a challenge for the second step. */
export const secondFactorChallengeSchema = {
  type: 'object',
  required: ['secondFactorRequired', 'methods', 'challenge', 'expiresAt'],
  properties: {
    secondFactorRequired: { type: 'boolean', enum: [true] },
    methods: { type: 'array', items: { type: 'string' } },
    challenge: { type: 'string' },
    expiresAt: isoTime,
    webauthn: { type: 'object', additionalProperties: true },
  },
} as const;

/** POST /me/2fa/totp: the new secret, to show once. */
export const totpEnrolmentSchema = {
  type: 'object',
  required: ['secret', 'otpauthUri', 'qrCode'],
  properties: {
    secret: { type: 'string', description: 'base32, for typing into the app' },
    otpauthUri: { type: 'string' },
    qrCode: { type: 'string', description: 'the otpauth URI as a PNG data URL' },
  },
} as const;

export const totpConfirmBody = {
  type: 'object',
  required: ['currentPassword', 'code'],
  additionalProperties: false,
  properties: { currentPassword: passwordInput, code: totpCode },
} as const;

export const passkeyListSchema = {
  type: 'object',
  required: ['passkeys'],
  properties: {
    passkeys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'name', 'createdAt', 'lastUsedAt'],
        properties: { id: { type: 'integer' }, name: { type: 'string' }, createdAt: isoTime, lastUsedAt: { type: ['string', 'null'] } },
      },
    },
  },
} as const;

export const passkeyRegistrationBody = {
  type: 'object',
  required: ['name', 'response'],
  additionalProperties: false,
  properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, response: webauthnJson },
} as const;

/** POST /me/2fa/passkeys: the recovery codes when this passkey is the first second factor, else null. */
export const passkeyRegisteredSchema = {
  type: 'object',
  required: ['recoveryCodes'],
  properties: { recoveryCodes: { type: ['array', 'null'], items: { type: 'string' } } },
} as const;

export const twoFactorPolicySchema = { type: 'object', required: ['required'], properties: { required: { type: 'boolean' } } } as const;

export const twoFactorPolicyBody = {
  type: 'object',
  required: ['required', 'currentPassword'],
  additionalProperties: false,
  properties: { required: { type: 'boolean' }, currentPassword: passwordInput },
} as const;

export type TwoFactorStatus = Served<typeof statusSchema>;
export type TotpEnrolment = Served<typeof totpEnrolmentSchema>;
export type RecoveryCodes = Served<typeof recoveryCodesBody>;
export type PasskeyList = Served<typeof passkeyListSchema>;
export type Passkey = PasskeyList['passkeys'][number];
export type PasskeyRegistered = Served<typeof passkeyRegisteredSchema>;
export type SecondFactorChallenge = Served<typeof secondFactorChallengeSchema>;
export type SecondFactorBody = Served<typeof secondFactorBody>;
export type TwoFactorPolicy = Served<typeof twoFactorPolicySchema>;
