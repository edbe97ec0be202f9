// Activating a new recorder: the schemas of the route, and the types clients read them by.
import { passwordInput } from './common.js';
import type { Served } from './served.js';

/** The account activation creates: clients check a new password against it before sending it. */
export const FIRST_ADMIN_USERNAME = 'admin';

/** POST /activate: the label code and the first admin password. */
export const activationBody = {
  type: 'object',
  required: ['labelCode', 'password'],
  additionalProperties: false,
  properties: { labelCode: { type: 'string', maxLength: 64 }, password: passwordInput },
} as const;

/** POST /activate: the admin account it created. */
export const activatedSchema = { type: 'object', required: ['username'], properties: { username: { type: 'string' } } } as const;

export type ActivationBody = Served<typeof activationBody>;
export type Activated = Served<typeof activatedSchema>;
