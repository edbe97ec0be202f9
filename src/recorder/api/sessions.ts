// Logging in and out, my sessions and my password: the schemas of these routes, and the types
// the web UI, the terminal wizard and the tests read them by.
import { CAMERA_ACTIONS, DEVICE_ACTIONS } from './permission-names.js';
import { isoTime, passwordInput, userSummary } from './common.js';
import type { Served } from './served.js';

/** The body of a successful login and of GET /me: who, which session, and the token for writes. */
export const loginStateSchema = {
  type: 'object',
  required: ['user', 'session', 'csrfToken', 'passwordChangeRequired', 'permissions'],
  properties: {
    user: userSummary,
    passwordChangeRequired: {
      type: 'boolean',
      description: 'the password is a one-time password: until it is changed, only GET /me, POST /me/password and logout work',
    },
    permissions: {
      type: 'object',
      description: 'what this user may do now, on the device and on every camera',
      required: ['device', 'allCameras'],
      properties: {
        device: { type: 'array', items: { type: 'string', enum: [...DEVICE_ACTIONS] } },
        allCameras: { type: 'array', items: { type: 'string', enum: [...CAMERA_ACTIONS] } },
      },
    },
    session: {
      type: 'object',
      required: ['id', 'createdAt', 'expiresAt'],
      properties: { id: { type: 'string' }, createdAt: isoTime, expiresAt: isoTime },
    },
    csrfToken: { type: 'string' },
    passwordAgeReminder: {
      type: ['object', 'null'],
      description: 'set when the password is older than the maximum age an admin chose: a reminder, not a forced change',
      required: ['ageDays', 'maxDays'],
      properties: { ageDays: { type: 'integer' }, maxDays: { type: 'integer' } },
    },
  },
} as const;

/** POST /sessions: a username and password. */
export const loginBody = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: passwordInput },
} as const;

/** GET /sessions: my live sessions. */
export const sessionListSchema = {
  type: 'object',
  required: ['sessions'],
  properties: {
    sessions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'ip', 'createdIp', 'userAgent', 'createdAt', 'lastSeenAt', 'expiresAt', 'current'],
        properties: {
          id: { type: 'string' },
          ip: { type: 'string' },
          createdIp: { type: 'string' },
          userAgent: { type: 'string' },
          createdAt: isoTime,
          lastSeenAt: isoTime,
          expiresAt: isoTime,
          current: { type: 'boolean' },
        },
      },
    },
  },
} as const;

/** POST /me/password. */
export const passwordChangeBody = {
  type: 'object',
  required: ['currentPassword', 'newPassword'],
  additionalProperties: false,
  properties: { currentPassword: passwordInput, newPassword: passwordInput },
} as const;

/** POST /me/password: how many of my other sessions ended. */
export const passwordChangedSchema = { type: 'object', required: ['revokedSessions'], properties: { revokedSessions: { type: 'integer' } } } as const;

export type LoginState = Served<typeof loginStateSchema>;
export type LoginBody = Served<typeof loginBody>;
export type SessionList = Served<typeof sessionListSchema>;
export type SessionInfo = SessionList['sessions'][number];
export type PasswordChangeBody = Served<typeof passwordChangeBody>;
export type PasswordChanged = Served<typeof passwordChangedSchema>;
