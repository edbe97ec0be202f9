import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecondFactorProof } from '../../identity/two-factor/second-factor.js';
import { isoTime } from '../../shared/clock.js';
import { ApiError } from '../../shared/http/api-error.js';
import { completeLogin, logIn, type CloudLoginServices } from '../accounts/login.js';
import { setSessionCookie } from './session-auth.js';
import { phoneNumber, storedText } from './text-schema.js';
import { secondFactorBody } from '../../shared/http/second-factor-body.js';
import { password } from './two-factor-schemas.js';

const throttled = (retryAfterSeconds: number, message: string) =>
  new ApiError(429, 'throttled', message, undefined, { 'retry-after': String(retryAfterSeconds) });

const client = (request: FastifyRequest) => ({ sourceIp: request.ip, userAgent: request.headers['user-agent'] ?? '' });

/**
 * `POST /api/v1/login` (an email address or a phone number, and a password) and `POST /api/v1/login/second-factor`
 * (the challenge the first answered, with a TOTP code, a recovery code or a passkey's assertion).
 * The session cookie is set only when the login is complete.
 */
export function registerLoginRoutes(app: FastifyInstance, services: CloudLoginServices): void {
  const sendSession = (reply: FastifyReply, opened: { token: string; accountId: number }) => {
    setSessionCookie(reply, opened.token, services.sessions.sessionLifetime.absoluteSeconds);
    return { accountId: opened.accountId };
  };

  app.post(
    '/api/v1/login',
    {
      schema: {
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: { email: storedText(1, 254), phone: phoneNumber, password },
          oneOf: [{ required: ['email'] }, { required: ['phone'] }],
        },
      },
    },
    async (request, reply) => {
      const { email, phone, password: typed } = request.body as { email?: string; phone?: string; password: string };
      const outcome = await logIn(services, { name: email ?? phone!, password: typed, ...client(request) });
      if (outcome.ok) {
        if ('token' in outcome) return sendSession(reply, outcome);
        const { challenge, methods, expiresAt, webauthn } = outcome.secondStep;
        return { secondFactorRequired: true, challenge, methods, expiresAt: isoTime(expiresAt), ...(webauthn ? { webauthn } : {}) };
      }
      if (outcome.reason === 'throttled') throw throttled(outcome.retryAfterSeconds, 'Too many failed logins: wait and try again.');
      throw new ApiError(401, 'invalid_credentials', `The ${email !== undefined ? 'email address' : 'phone number'} or the password is wrong.`);
    },
  );

  app.post('/api/v1/login/second-factor', { schema: { body: secondFactorBody } }, async (request, reply) => {
    const body = request.body as { challenge: string; totp?: string; recoveryCode?: string; webauthn?: object };
    const proof: SecondFactorProof =
      body.totp !== undefined
        ? { totp: body.totp }
        : body.recoveryCode !== undefined
          ? { recoveryCode: body.recoveryCode }
          : // The schema checks its outline; @simplewebauthn verifies the rest when it checks the signature.
            { webauthn: body.webauthn as AuthenticationResponseJSON };
    const outcome = await completeLogin(services, { challenge: body.challenge, proof, ...client(request) });
    if (outcome.ok) return sendSession(reply, outcome);
    if (outcome.reason === 'throttled') throw throttled(outcome.retryAfterSeconds, 'Too many failed attempts: wait and try again.');
    if (outcome.reason === 'invalid_challenge') {
      throw new ApiError(401, 'invalid_challenge', 'This login has expired or was already used. Log in again with your password.');
    }
    throw new ApiError(401, 'invalid_second_factor', 'That code or passkey is not right, or it was used already.');
  });
}
