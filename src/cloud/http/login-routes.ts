import type { FastifyInstance } from 'fastify';
import { logIn, type CloudLoginServices } from '../accounts/login.js';
import { setSessionCookie } from './session-auth.js';
import { storedText } from './text-schema.js';

/** `POST /api/v1/login`: an email address and a password; a session cookie when the login is complete. */
export function registerLoginRoutes(app: FastifyInstance, services: CloudLoginServices): void {
  app.post(
    '/api/v1/login',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: { email: storedText(1, 254), password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body as { email: string; password: string };
      const outcome = await logIn(services, { email, password, sourceIp: request.ip, userAgent: request.headers['user-agent'] ?? '' });
      if (outcome.ok) {
        setSessionCookie(reply, outcome.token, services.sessions.sessionLifetime.absoluteSeconds);
        return { accountId: outcome.accountId };
      }
      if (outcome.reason === 'throttled') {
        return reply
          .code(429)
          .header('retry-after', String(outcome.retryAfterSeconds))
          .send({ error: { code: 'throttled', message: 'Too many failed logins: wait and try again.' } });
      }
      if (outcome.reason === 'second_factor_required') {
        return reply.code(403).send({ error: { code: 'second_factor_required', message: 'This account needs its second factor, which the cloud cannot check yet.' } });
      }
      return reply.code(401).send({ error: { code: 'invalid_credentials', message: 'The email address or the password is wrong.' } });
    },
  );
}
