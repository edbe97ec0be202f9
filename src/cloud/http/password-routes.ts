import type { FastifyInstance } from 'fastify';
import { changePassword, type PasswordChangeServices } from '../accounts/password-change.js';
import { reauthRefusal, weakPassword } from './refusals.js';
import { signedIn } from './session-auth.js';
import { password } from './two-factor-schemas.js';

/** `POST /api/v1/account/password`: the current password and a new one; every other session ends. */
export function registerPasswordRoutes(app: FastifyInstance, services: PasswordChangeServices): void {
  app.post(
    '/api/v1/account/password',
    {
      preHandler: app.requireSession,
      schema: {
        body: {
          type: 'object',
          required: ['currentPassword', 'newPassword'],
          additionalProperties: false,
          properties: { currentPassword: password, newPassword: password },
        },
      },
    },
    async (request) => {
      const { currentPassword, newPassword } = request.body as { currentPassword: string; newPassword: string };
      const outcome = await changePassword(services, signedIn(request), { currentPassword, newPassword, sourceIp: request.ip });
      if (outcome.ok) return { changed: true, endedSessions: outcome.endedSessions };
      throw outcome.reason === 'weak_password' ? weakPassword(outcome.verdict) : reauthRefusal(outcome);
    },
  );
}
