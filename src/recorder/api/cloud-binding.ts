// The recorder's binding to a cloud account, as its admin sees and ends it.
import { passwordInput } from './common.js';
import type { Served } from './served.js';

/** GET /device/cloud: the binding and the connection (admin). */
export const cloudBindingSchema = {
  type: 'object',
  required: ['bound', 'cloudUrl', 'ownerLabel', 'since', 'connection'],
  properties: {
    bound: { type: 'boolean' },
    cloudUrl: { type: ['string', 'null'] },
    /** The owner as the cloud names them, masked (o***@example.com). */
    ownerLabel: { type: ['string', 'null'] },
    since: { type: ['string', 'null'], format: 'date-time' },
    /** The recorder's connection to the cloud it was started with (--cloud); null without one. */
    connection: {
      type: ['object', 'null'],
      required: ['cloudUrl', 'state', 'since'],
      properties: {
        cloudUrl: { type: 'string' },
        state: { type: 'string', enum: ['connecting', 'online', 'offline'] },
        since: { type: 'string', format: 'date-time' },
      },
    },
  },
} as const;

/** POST /device/cloud/unbind: the admin's password again, since the binding is a way in. */
export const cloudUnbindBody = {
  type: 'object',
  required: ['currentPassword'],
  additionalProperties: false,
  properties: { currentPassword: passwordInput },
} as const;

export type CloudBindingView = Served<typeof cloudBindingSchema>;
