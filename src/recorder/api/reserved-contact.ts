// The reserved email and phone of an admin, the password hint, the SMS gateway, and recovery by a
// code sent to the reserved address: the schemas of these routes, and the types clients read them by.
import { passwordInput } from './common.js';
import type { ContactChannel } from './recovery-methods.js';
import { secondFactorFields } from './recovery.js';
import type { Served } from './served.js';

export const CONTACT_CHANNELS: readonly ContactChannel[] = ['email', 'phone'];
/** The longest password hint, in characters. */
export const MAX_HINT_LENGTH = 100;

/** An email address or a phone number; which one it must be is checked against the channel. */
const contactAddress = { type: 'string', minLength: 1, maxLength: 254 } as const;

const username = { type: 'string', minLength: 1, maxLength: 64 } as const;

/** Digits only, but any length up to a bound: a wrong-length code is a wrong code, not a 400 that tells it apart. */
const contactCode = { type: 'string', minLength: 1, maxLength: 16 } as const;

const channelStatus = {
  type: 'object',
  required: ['verified', 'pending', 'available'],
  properties: { verified: { type: ['string', 'null'] }, pending: { type: ['string', 'null'] }, available: { type: 'boolean' } },
} as const;

export const statusSchema = {
  type: 'object',
  required: ['email', 'phone', 'hintSet'],
  properties: { email: channelStatus, phone: channelStatus, hintSet: { type: 'boolean' } },
} as const;

export const smsGatewayView = {
  type: 'object',
  required: ['enabled', 'url', 'authSet'],
  properties: { enabled: { type: 'boolean' }, url: { type: 'string' }, authSet: { type: 'boolean' } },
} as const;

export const requestAnswer = {
  type: 'object',
  required: ['requestId', 'expiresAt'],
  properties: { requestId: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' } },
} as const;

/** PUT /me/recovery/contacts/:channel. */
export const contactSetupBody = {
  type: 'object',
  required: ['address', 'currentPassword'],
  additionalProperties: false,
  properties: { address: contactAddress, currentPassword: passwordInput },
} as const;

/** POST /me/recovery/contacts/:channel/confirm. */
export const contactConfirmBody = { type: 'object', required: ['code'], additionalProperties: false, properties: { code: contactCode } } as const;

/** PUT /me/recovery/hint. */
export const hintBody = {
  type: 'object',
  required: ['hint', 'currentPassword'],
  additionalProperties: false,
  // The bound in characters is checked after the schema; this one keeps anything huge out.
  properties: { hint: { type: ['string', 'null'], maxLength: MAX_HINT_LENGTH * 2 }, currentPassword: passwordInput },
} as const;

/** PUT /settings/sms-gateway. */
export const smsGatewayBody = {
  type: 'object',
  required: ['enabled', 'url'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    url: { type: 'string', maxLength: 2048, pattern: '^(https?://[^\\s]+)?$' },
    authorization: { type: ['string', 'null'], minLength: 1, maxLength: 1024, pattern: '^[^\\r\\n]*$' },
  },
} as const;

/** POST /recovery/code. */
export const codeRequestBody = {
  type: 'object',
  required: ['username', 'channel', 'address'],
  additionalProperties: false,
  properties: { username, channel: { type: 'string', enum: CONTACT_CHANNELS }, address: contactAddress },
} as const;

/** POST /recovery/code/verify: the code and, when the account has two-factor login, the second factor. */
export const codeVerifyBody = {
  type: 'object',
  required: ['requestId', 'code'],
  additionalProperties: false,
  properties: { requestId: { type: 'string', minLength: 1, maxLength: 64 }, code: contactCode, ...secondFactorFields },
} as const;

/** POST /recovery/hint. */
export const hintRequestBody = {
  type: 'object',
  required: ['username', 'address'],
  additionalProperties: false,
  properties: { username, address: contactAddress },
} as const;

/** POST /recovery/hint: the same message whatever the address. */
export const hintRequestedSchema = { type: 'object', required: ['message'], properties: { message: { type: 'string' } } } as const;

export type ContactStatus = Served<typeof statusSchema>;
export type SmsGatewaySettings = Served<typeof smsGatewayView>;
export type SmsGatewayBody = Served<typeof smsGatewayBody>;
export type CodeRequest = Served<typeof requestAnswer>;
export type CodeVerifyBody = Served<typeof codeVerifyBody>;
export type HintRequested = Served<typeof hintRequestedSchema>;
