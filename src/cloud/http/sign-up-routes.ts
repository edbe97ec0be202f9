import type { FastifyInstance } from 'fastify';
import { startSignUp, verifySignUp, type SignUpServices } from '../accounts/sign-up.js';
import { codeAnswerBody, emailAddress } from './text-schema.js';

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /api/v1/signup` and `POST /api/v1/signup/verify`. Without a mail server (`services`
 * undefined) nobody could get a code: both answer 503 rather than make accounts that never work.
 */
export function registerSignUpRoutes(app: FastifyInstance, services: SignUpServices | undefined): void {
  app.post(
    '/api/v1/signup',
    {
      schema: {
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: {
            email: emailAddress,
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
        },
      },
    },
    async (request, reply) => {
      if (!services) return reply.code(503).send(errorBody('signup_unavailable', 'This cloud sends no mail (no --smtp): it cannot sign anyone up.'));
      const { email, password } = request.body as { email: string; password: string };
      const outcome = await startSignUp(services, { email, password, sourceIp: request.ip });
      if (outcome.ok) {
        return reply.code(202).send({ requestId: outcome.requestId, message: 'If this address can be used, a code was mailed to it.' });
      }
      if (outcome.reason === 'throttled') {
        return reply.code(429).header('retry-after', String(outcome.retryAfterSeconds)).send(errorBody('throttled', 'Too many sign-ups from here: wait and try again.'));
      }
      return reply.code(422).send({ error: { code: 'weak_password', message: 'Choose a stronger password.', reasons: outcome.verdict.reasons } });
    },
  );

  app.post(
    '/api/v1/signup/verify',
    { schema: { body: codeAnswerBody } },
    async (request, reply) => {
      if (!services) return reply.code(503).send(errorBody('signup_unavailable', 'This cloud sends no mail (no --smtp): it cannot sign anyone up.'));
      const { requestId, code } = request.body as { requestId: string; code: string };
      const outcome = await verifySignUp(services, { requestId, code, sourceIp: request.ip });
      if (outcome.ok) return { verified: true };
      if (outcome.reason === 'throttled') {
        return reply.code(429).header('retry-after', String(outcome.retryAfterSeconds)).send(errorBody('throttled', 'Too many wrong codes: wait and try again.'));
      }
      return reply.code(400).send(errorBody('invalid_code', 'The code is wrong, expired or used: check it, or sign up again for a new one.'));
    },
  );
}
