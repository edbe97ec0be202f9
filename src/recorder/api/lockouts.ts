// Lockouts an admin sees and lifts: the schema of the list, and the types clients read it by.
import { isoTime } from './common.js';
import type { Served } from './served.js';

/** GET /lockouts. */
export const lockoutListSchema = {
  type: 'object',
  required: ['lockouts', 'policy'],
  properties: {
    lockouts: {
      type: 'array',
      items: {
        type: 'object',
        required: ['id', 'account', 'clientKind', 'client', 'failures', 'lockedUntil'],
        properties: {
          id: { type: 'string' },
          account: {
            type: 'object',
            required: ['username', 'userId'],
            properties: { username: { type: 'string' }, userId: { type: ['integer', 'null'] } },
          },
          clientKind: { type: 'string', enum: ['address', 'device', 'unknown_clients'] },
          client: { type: 'string', description: 'the address, a device id prefix, or empty for all unknown clients' },
          failures: { type: 'integer' },
          lockedUntil: isoTime,
        },
      },
    },
    policy: {
      type: 'object',
      required: ['userThreshold', 'adminThreshold', 'windowSeconds', 'baseBlockSeconds', 'maxBlockSeconds', 'unknownClientGuessesPerHour'],
      properties: {
        userThreshold: { type: 'integer' },
        adminThreshold: { type: 'integer' },
        windowSeconds: { type: 'integer' },
        baseBlockSeconds: { type: 'integer' },
        maxBlockSeconds: { type: 'integer' },
        unknownClientGuessesPerHour: { type: 'integer' },
      },
    },
  },
} as const;

export type LockoutList = Served<typeof lockoutListSchema>;
export type Lockout = LockoutList['lockouts'][number];
export type LockoutPolicy = LockoutList['policy'];
