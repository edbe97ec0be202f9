import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../shared/http/api-error.js';
import { offlineResetCode, type OfflineResetCodeServices } from '../devices/offline-reset-code.js';
import { signedIn } from './session-auth.js';
import { storedText } from './text-schema.js';

/**
 * `POST /api/v1/offline-reset/code {"challenge"}`: the owner, logged in, types (or scans) the
 * challenge their recorder shows; the answer is the response code to type back into the recorder.
 * A session exists only after a complete login (the password, and the second factor when the
 * account has one), so the session check is also the check of two-step login.
 */
export function registerOfflineResetRoutes(app: FastifyInstance, services: OfflineResetCodeServices): void {
  app.post(
    '/api/v1/offline-reset/code',
    {
      preHandler: app.requireSession,
      schema: {
        body: {
          type: 'object',
          required: ['challenge'],
          additionalProperties: false,
          // The text (serial and six groups) or the QR payload, with room for the spaces people type.
          properties: { challenge: storedText(1, 200) },
        },
      },
    },
    async (request) => {
      const { account } = signedIn(request);
      const { challenge } = request.body as { challenge: string };
      const outcome = await offlineResetCode(services, { account, challenge, sourceIp: request.ip });
      if (outcome.ok) return { serial: outcome.serial, code: outcome.code, expiresAt: outcome.expiresAt };
      switch (outcome.reason) {
        case 'unreadable':
          throw new ApiError(400, 'invalid_challenge', 'This is not a challenge from a Vigil recorder, or it has a typo: type it again exactly as the recorder shows it.');
        case 'expired':
          throw new ApiError(400, 'challenge_expired', 'This challenge has expired (they last 30 minutes). Show a new one on the recorder. If it was new, check the recorder\'s clock.');
        case 'not_yours':
          throw new ApiError(404, 'device_not_found', 'No recorder with this serial is bound to your account. Bind it first, or log in with the account it is bound to.');
      }
    },
  );
}
