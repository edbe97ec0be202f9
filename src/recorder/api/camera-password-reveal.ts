// Revealing a camera's own password to an admin: the schemas of this route, and the types clients read them by.
import { stepUpBody } from './recovery.js';
import type { Served } from './served.js';

/** POST /cameras/:id/password/reveal: my password again, and my second factor if I have one. */
export const revealCameraPasswordBody = stepUpBody;

/** The camera's login, answered this once and never cached. */
export const revealedCameraPasswordSchema = {
  type: 'object',
  required: ['username', 'password'],
  properties: { username: { type: ['string', 'null'] }, password: { type: 'string' } },
} as const;

export type RevealCameraPasswordBody = Served<typeof revealCameraPasswordBody>;
export type RevealedCameraPassword = Served<typeof revealedCameraPasswordSchema>;
