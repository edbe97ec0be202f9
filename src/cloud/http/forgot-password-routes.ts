import type { FastifyInstance } from 'fastify';
import { requestPasswordReset, resetForgottenPassword, verifyPasswordResetCode, type ForgotPasswordServices } from '../recovery/forgot-password.js';
import { ApiError } from '../../shared/http/api-error.js';
import { codeAnswerBody, emailAddress, phoneNumber, storedText } from './text-schema.js';

/** A reset grant's token (randomToken(32): 43 base64url characters). */
export const grantToken = storedText(1, 128);

/**
 * Forgot password: `POST /api/v1/password/forgot` (a code to an address), `.../forgot/verify` (the
 * code for a reset grant), `POST /api/v1/password/reset` (the grant and a new password).
 */
export function registerForgotPasswordRoutes(app: FastifyInstance, services: ForgotPasswordServices): void {
  app.post(
    '/api/v1/password/forgot',
    {
      schema: {
        body: {
          type: 'object',
          minProperties: 1,
          maxProperties: 1,
          additionalProperties: false,
          properties: { email: emailAddress, phone: phoneNumber },
        },
      },
    },
    async (request, reply) => {
      const body = request.body as { email: string } | { phone: string };
      const [channel, address] = 'email' in body ? (['email', body.email] as const) : (['sms', body.phone] as const);
      const outcome = await requestPasswordReset(services, { channel, address, sourceIp: request.ip });
      if (outcome.ok) {
        const message = 'If an account has this address, a code was sent to it.';
        return reply.code(202).send({ requestId: outcome.requestId, expiresAt: outcome.expiresAt, message });
      }
      if (outcome.reason === 'throttled') throw new ApiError(429, 'throttled', 'Too many requests for a code: wait and try again.', undefined, { 'retry-after': String(outcome.retryAfterSeconds) });
      throw new ApiError(503, 'reset_unavailable', 'This cloud cannot send codes that way (no --smtp, or no SMS gateway).');
    },
  );

  app.post(
    '/api/v1/password/forgot/verify',
    { schema: { body: codeAnswerBody } },
    async (request, reply) => {
      const { requestId, code } = request.body as { requestId: string; code: string };
      const outcome = await verifyPasswordResetCode(services, { requestId, code, sourceIp: request.ip });
      if (outcome.ok) return { grant: outcome.grant, expiresAt: outcome.expiresAt };
      if (outcome.reason === 'throttled' || outcome.reason === 'blocked') {
        throw new ApiError(429, 'throttled', 'Too many wrong codes: wait and try again.', undefined, { 'retry-after': String(outcome.retryAfterSeconds) });
      }
      throw new ApiError(400, 'invalid_code', 'The code is wrong, expired or used: check it, or ask for a new one.');
    },
  );

  app.post(
    '/api/v1/password/reset',
    {
      schema: {
        body: {
          type: 'object',
          required: ['grant', 'newPassword'],
          additionalProperties: false,
          properties: { grant: grantToken, newPassword: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
      },
    },
    async (request, reply) => {
      const { grant, newPassword } = request.body as { grant: string; newPassword: string };
      const outcome = await resetForgottenPassword(services, { grant, newPassword, sourceIp: request.ip });
      if (outcome.ok) return { reset: true, revokedSessions: outcome.revokedSessions };
      if (outcome.reason === 'throttled') throw new ApiError(429, 'throttled', 'Too many failed attempts from here: wait and try again.', undefined, { 'retry-after': String(outcome.retryAfterSeconds) });
      if (outcome.reason === 'password_rejected') throw new ApiError(422, 'weak_password', 'Choose a stronger password.', { reasons: outcome.reasons });
      throw new ApiError(400, 'invalid_reset_token', 'This reset has expired or was used: ask for a new code.');
    },
  );
}
