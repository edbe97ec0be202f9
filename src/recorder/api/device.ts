// What a recorder tells anyone who reaches it: the schema, and the type clients read it by.
import { RECOVERY_METHODS, type RecoveryMethod } from './recovery-methods.js';
import type { Served } from './served.js';

/** GET /device: public facts, for anyone who reaches the recorder. */
export const deviceSchema = {
  type: 'object',
  required: ['serial', 'model', 'firmwareVersion', 'activated', 'recoveryMethods', 'cloud'],
  properties: {
    serial: { type: 'string' },
    model: { type: 'string' },
    firmwareVersion: { type: 'string' },
    activated: { type: 'boolean' },
    recoveryMethods: {
      type: 'object',
      required: [...RECOVERY_METHODS],
      // One boolean per method, named so that the type knows each.
      properties: Object.fromEntries(RECOVERY_METHODS.map((m) => [m, { type: 'boolean' }])) as Record<RecoveryMethod, { readonly type: 'boolean' }>,
    },
    /** The binding to a cloud account: whether, which cloud, since when (who owns it is for the admin only). */
    cloud: {
      type: 'object',
      required: ['bound', 'cloudUrl', 'since'],
      properties: {
        bound: { type: 'boolean' },
        cloudUrl: { type: ['string', 'null'] },
        since: { type: ['string', 'null'], format: 'date-time' },
      },
    },
  },
} as const;

export type Device = Served<typeof deviceSchema>;
