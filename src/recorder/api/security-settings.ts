// What an admin sets for the recorder's security (outgoing mail, password age, login allow-list)
// and the security checkup: the schemas of these routes, and the types clients read them by.
import { emailAddress } from './common.js';
import type { Served } from './served.js';

const noControlCharacters = '^[^\\u0000-\\u001f\\u007f]*$';

const mailSettingsFields = {
  enabled: { type: 'boolean' },
  host: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9._:-]+$' },
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  security: { type: 'string', enum: ['none', 'starttls', 'tls'] },
  username: { type: 'string', maxLength: 254, pattern: noControlCharacters },
  from: emailAddress,
} as const;

export const mailSettingsView = {
  type: 'object',
  required: ['enabled', 'host', 'port', 'security', 'username', 'from', 'passwordSet'],
  properties: { ...mailSettingsFields, host: { type: 'string' }, from: { type: 'string' }, passwordSet: { type: 'boolean' } },
} as const;

export const passwordAgeBody = {
  type: 'object',
  required: ['maxPasswordAgeDays'],
  properties: { maxPasswordAgeDays: { type: ['integer', 'null'], minimum: 1, maximum: 3650 } },
} as const;

export const allowListView = {
  type: 'object',
  required: ['enabled', 'entries', 'yourAddress'],
  properties: {
    enabled: { type: 'boolean' },
    entries: { type: 'array', items: { type: 'string' } },
    yourAddress: { type: 'string', description: 'the address this request came from' },
  },
} as const;

const findingSchema = {
  type: 'object',
  required: ['id', 'severity', 'title', 'advice'],
  properties: {
    id: { type: 'string' },
    severity: { type: 'string', enum: ['high', 'medium', 'low'] },
    title: { type: 'string' },
    advice: { type: 'string' },
  },
} as const;

/** PUT /settings/mail. */
export const mailSettingsBody = {
  type: 'object',
  required: ['enabled', 'host', 'port', 'security', 'username', 'from'],
  additionalProperties: false,
  properties: { ...mailSettingsFields, password: { type: ['string', 'null'], minLength: 1, maxLength: 1024 } },
} as const;

/** POST /settings/mail/test. */
export const testMailSentSchema = { type: 'object', required: ['sent'], properties: { sent: { type: 'boolean' } } } as const;

/** POST /settings/mail/test. */
export const testMailBody = { type: 'object', required: ['to'], additionalProperties: false, properties: { to: emailAddress } } as const;

/** PUT /settings/login-allow-list. */
export const allowListBody = {
  type: 'object',
  required: ['enabled', 'entries'],
  additionalProperties: false,
  properties: {
    enabled: { type: 'boolean' },
    entries: { type: 'array', maxItems: 100, items: { type: 'string', minLength: 1, maxLength: 64 } },
    confirm: { type: 'boolean' },
  },
} as const;

/** GET /security/checkup. */
export const checkupSchema = { type: 'object', required: ['findings'], properties: { findings: { type: 'array', items: findingSchema } } } as const;

export type MailSettings = Served<typeof mailSettingsView>;
export type MailSettingsBody = Served<typeof mailSettingsBody>;
export type SmtpSecurity = MailSettings['security'];
export type PasswordAge = Served<typeof passwordAgeBody>;
export type AllowList = Served<typeof allowListView>;
export type AllowListBody = Served<typeof allowListBody>;
export type Checkup = Served<typeof checkupSchema>;
export type Finding = Checkup['findings'][number];
export type TestMailSent = Served<typeof testMailSentSchema>;
