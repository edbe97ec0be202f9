// User management by an admin: the schemas of these routes, and the types clients read them by.
import { CAMERA_ACTIONS, GRANTABLE_DEVICE_ACTIONS, ROLES } from './permission-names.js';
import { CAMERA_ID_PATTERN } from './cameras.js';
import { isoTime } from './common.js';
import type { Served } from './served.js';

const roleSchema = { type: 'string', enum: [...ROLES] } as const;

const cameraActionList = { type: 'array', uniqueItems: true, maxItems: CAMERA_ACTIONS.length, items: { type: 'string', enum: [...CAMERA_ACTIONS] } } as const;

/** As sent: `denied` may be left out (no denials), so clients from before denials keep working. */
const grantsSchema = {
  type: 'object',
  required: ['device', 'cameras'],
  additionalProperties: false,
  properties: {
    device: { type: 'array', uniqueItems: true, maxItems: GRANTABLE_DEVICE_ACTIONS.length, items: { type: 'string', enum: [...GRANTABLE_DEVICE_ACTIONS] } },
    cameras: {
      type: 'object',
      description: 'camera id, or * for every camera (also those added later) → actions granted on it',
      maxProperties: 256,
      propertyNames: { pattern: '^(?:\\*|[A-Za-z0-9_-]{1,64})$' },
      additionalProperties: cameraActionList,
    },
    denied: {
      type: 'object',
      description:
        "id of one of the recorder's cameras → actions taken away on it, whatever gives them (the role or a grant on *). " +
        'Never *: to take a right away on every camera, choose a smaller role. Admins are never restricted.',
      maxProperties: 256,
      propertyNames: { pattern: CAMERA_ID_PATTERN },
      additionalProperties: cameraActionList,
    },
  },
} as const;

export const userView = {
  type: 'object',
  required: ['id', 'username', 'role', 'permissions', 'passwordChangeRequired', 'createdAt'],
  properties: {
    id: { type: 'integer' },
    username: { type: 'string' },
    role: roleSchema,
    permissions: { ...grantsSchema, required: ['device', 'cameras', 'denied'] },
    passwordChangeRequired: { type: 'boolean', description: 'holds a one-time password not yet changed' },
    createdAt: isoTime,
  },
} as const;

const issuedPassword = {
  oneTimePassword: { type: 'string', description: 'shown this once; the user must change it at first login' },
  oneTimePasswordExpiresAt: isoTime,
} as const;

/** GET /users. */
export const userListSchema = { type: 'object', required: ['users'], properties: { users: { type: 'array', items: userView } } } as const;

/** POST /users. */
export const newUserBody = {
  type: 'object',
  required: ['username', 'role'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,32}$', description: '1 to 32 letters, digits, dots, underscores or dashes' },
    role: roleSchema,
    permissions: { ...grantsSchema, description: 'grants on top of the role and per-camera denials (default: none)' },
  },
} as const;

/** POST /users: the user and their one-time password, shown this once. */
export const newUserSchema = { type: 'object', required: ['user', 'oneTimePassword', 'oneTimePasswordExpiresAt'], properties: { user: userView, ...issuedPassword } } as const;

/** PATCH /users/:id. */
export const userChangeBody = {
  type: 'object',
  minProperties: 1,
  additionalProperties: false,
  properties: { role: roleSchema, permissions: { ...grantsSchema, description: 'replaces the grants and denials (denied left out: none)' } },
} as const;

/** POST /users/:id/password-reset: the new one-time password, shown this once. */
export const passwordResetSchema = {
  type: 'object',
  required: ['revokedSessions', 'oneTimePassword', 'oneTimePasswordExpiresAt'],
  properties: { revokedSessions: { type: 'integer' }, ...issuedPassword },
} as const;

/** A user as an admin sees it in user management. */
export type ManagedUser = Served<typeof userView>;
export type UserList = Served<typeof userListSchema>;
export type NewUserBody = Served<typeof newUserBody>;
export type NewUser = Served<typeof newUserSchema>;
export type UserChangeBody = Served<typeof userChangeBody>;
export type PasswordReset = Served<typeof passwordResetSchema>;
/** A one-time password, shown once. */
export type IssuedPassword = Pick<PasswordReset, 'oneTimePassword' | 'oneTimePasswordExpiresAt'>;
