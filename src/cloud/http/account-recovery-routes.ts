import type { FastifyInstance } from 'fastify';
import { cancelAccountRecoveryByToken, openAccountRecovery, type AccountRecoveryServices } from '../recovery/account-recovery.js';
import { ApiError } from '../../shared/http/api-error.js';
import { grantToken } from './forgot-password-routes.js';
import { storedText } from './text-schema.js';

/**
 * Lost second factors: `POST /api/v1/account-recovery` opens a request that waits (proof: a live
 * forgot-password grant), `POST /api/v1/account-recovery/cancel` ends one with the code its notices carry.
 */
export function registerAccountRecoveryRoutes(app: FastifyInstance, services: AccountRecoveryServices): void {
  app.post(
    '/api/v1/account-recovery',
    { schema: { body: { type: 'object', required: ['grant'], additionalProperties: false, properties: { grant: grantToken } } } },
    async (request, reply) => {
      const outcome = await openAccountRecovery(services, { grant: (request.body as { grant: string }).grant, sourceIp: request.ip });
      if (outcome.ok) {
        const message = 'Every address of the account was told. Unless a login of yours or the cancel code stops it, the second factors are removed then.';
        return reply.code(202).send({ endsAt: outcome.endsAt, message });
      }
      if (outcome.reason === 'throttled') throw new ApiError(429, 'throttled', 'Too many failed attempts from here: wait and try again.', undefined, { 'retry-after': String(outcome.retryAfterSeconds) });
      if (outcome.reason === 'no_second_factor') {
        throw new ApiError(409, 'no_second_factor', 'This account has no second factor: log in with the password (reset it with the same code if needed).');
      }
      throw new ApiError(400, 'invalid_grant', 'This proof has expired or was used: ask for a new code.');
    },
  );

  app.post(
    '/api/v1/account-recovery/cancel',
    { schema: { body: { type: 'object', required: ['token'], additionalProperties: false, properties: { token: storedText(1, 128) } } } },
    async (request, reply) => {
      const outcome = await cancelAccountRecoveryByToken(services, { token: (request.body as { token: string }).token, sourceIp: request.ip });
      if (outcome.ok) return { cancelled: true };
      if (outcome.reason === 'throttled') throw new ApiError(429, 'throttled', 'Too many wrong codes from here: wait and try again.', undefined, { 'retry-after': String(outcome.retryAfterSeconds) });
      throw new ApiError(400, 'invalid_token', 'This cancel code is wrong, or the recovery has ended already.');
    },
  );
}
