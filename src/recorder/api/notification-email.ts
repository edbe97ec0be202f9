// Where my security mails go: the schemas of these routes, and the types clients read them by.
import { emailAddress, passwordInput } from './common.js';
import type { Served } from './served.js';

export const notificationEmailBody = {
  type: 'object',
  required: ['email'],
  properties: { email: { anyOf: [emailAddress, { type: 'null' }] } },
} as const;

/** PUT /me/notification-email. */
export const notificationEmailChangeBody = {
  type: 'object',
  required: ['email', 'currentPassword'],
  additionalProperties: false,
  properties: { email: { anyOf: [emailAddress, { type: 'null' }] }, currentPassword: passwordInput },
} as const;

export type NotificationEmail = Served<typeof notificationEmailBody>;
