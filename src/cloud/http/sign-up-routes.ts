import type { FastifyInstance } from 'fastify';
import { startSignUp, verifySignUp, type SignUpServices } from '../accounts/sign-up.js';
import { codeAnswerBody, emailAddress, phoneNumber } from './text-schema.js';

const errorBody = (code: string, message: string) => ({ error: { code, message } });

/**
 * `POST /api/v1/signup` (an email address or a phone number, and a password) and
 * `POST /api/v1/signup/verify`. Without a mail server nobody could get a code by mail, without an
 * SMS gateway nobody by text: such a sign-up answers 503 rather than make an account that never works.
 */
export function registerSignUpRoutes(app: FastifyInstance, services: SignUpServices): void {
  app.post(
    '/api/v1/signup',
    {
      schema: {
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: {
            email: emailAddress,
            phone: phoneNumber,
            password: { type: 'string', minLength: 1, maxLength: 1024 },
          },
          oneOf: [{ required: ['email'] }, { required: ['phone'] }],
        },
      },
    },
    async (request, reply) => {
      const { email, phone, password } = request.body as { email?: string; phone?: string; password: string };
      const address = email !== undefined ? { kind: 'email' as const, value: email } : { kind: 'phone' as const, value: phone! };
      const outcome = await startSignUp(services, { address, password, sourceIp: request.ip });
      if (outcome.ok) {
        const message = address.kind === 'email' ? 'If this address can be used, a code was mailed to it.' : 'If this number can be used, a code was texted to it.';
        return reply.code(202).send({ requestId: outcome.requestId, message });
      }
      if (outcome.reason === 'unavailable') {
        const message =
          address.kind === 'email'
            ? 'This cloud sends no mail (no --smtp): it cannot sign anyone up by email.'
            : 'This cloud sends no texts (no --sms-gateway): it cannot sign anyone up by phone.';
        return reply.code(503).send(errorBody('signup_unavailable', message));
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
