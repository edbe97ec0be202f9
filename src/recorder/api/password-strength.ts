// Rating a candidate password: the schemas of the route, and the types clients read them by.
import { passwordInput, passwordReasons } from './common.js';
import type { Served } from './served.js';

/** POST /password-strength: a candidate password, and the username it is for. */
export const passwordStrengthBody = {
  type: 'object',
  required: ['password'],
  additionalProperties: false,
  properties: { password: passwordInput, username: { type: 'string', maxLength: 64 } },
} as const;

/** POST /password-strength: how strong, whether the policy accepts it, and why not. */
export const passwordVerdictSchema = {
  type: 'object',
  required: ['level', 'accepted', 'reasons'],
  properties: {
    level: { type: 'string', enum: ['risky', 'weak', 'medium', 'strong'] },
    accepted: { type: 'boolean' },
    reasons: passwordReasons,
  },
} as const;

export type PasswordStrengthBody = Served<typeof passwordStrengthBody>;
export type PasswordVerdict = Served<typeof passwordVerdictSchema>;
