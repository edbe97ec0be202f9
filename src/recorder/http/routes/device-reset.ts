import type { FastifyRequest } from 'fastify';
import type { FromSchema } from 'json-schema-to-ts';
import { reauthenticate } from '../../accounts/reauthenticate.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { confirmedBody, factoryResetSchema } from '../../api/device-reset.js';
import { factoryReset } from '../../recovery/factory-reset.js';
import { FACTORY_RESET_PHRASE, RESTORE_DEFAULTS_PHRASE } from '../../recovery/reset-phrases.js';
import { restoreDefaults } from '../../recovery/restore-defaults.js';
import { clearSessionCookie, requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';

type ConfirmedBody = FromSchema<typeof confirmedBody>;

/** Restore defaults and factory reset, for a logged-in admin: the typed phrase, then the password. */
export function deviceResetRoutes(app: ApiApp, ctx: RecorderContext): void {
  /** The typed phrase (checked first: it costs nothing), then the password: the admin who asks, or an error. */
  async function confirmed(request: FastifyRequest, body: ConfirmedBody, phrase: string, type: 'device.restored_defaults' | 'device.factory_reset') {
    const auth = requireAuth(request);
    if (body.confirm.trim() !== phrase) {
      throw new ApiError(422, 'confirmation_mismatch', `Type ${phrase} exactly to confirm. Nothing was changed.`, { phrase });
    }
    const proof = await reauthenticate(ctx, auth, body.currentPassword, request.ip);
    if (!proof.ok) {
      if (proof.reason === 'throttled') throw tooManyAttempts(proof.retryAfterSeconds);
      ctx.audit.append({
        type,
        outcome: 'failure',
        actor: { id: auth.user.id, username: auth.user.username },
        sourceIp: request.ip,
        target: 'device',
        details: { reason: proof.reason },
      });
      throw new ApiError(403, 'invalid_current_password', 'Your current password is not right. Nothing was changed.');
    }
    return auth;
  }

  app.post(
    '/api/v1/device/restore-defaults',
    {
      config: { access: 'admin' },
      schema: {
        summary: `Reset the configuration to defaults, keeping accounts, sessions, the login allow-list, footage and the audit log. confirm must be "${RESTORE_DEFAULTS_PHRASE}"`,
        body: confirmedBody,
        response: { 204: { type: 'null' } },
      },
    },
    async (request, reply) => {
      const auth = await confirmed(request, request.body, RESTORE_DEFAULTS_PHRASE, 'device.restored_defaults');
      restoreDefaults(ctx, { actor: { id: auth.user.id, username: auth.user.username }, sourceIp: request.ip });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/device/factory-reset',
    {
      config: { access: 'admin' },
      schema: {
        summary: `Erase configuration, accounts, recovery secrets, the audit log and all footage; the recorder becomes inactive. confirm must be "${FACTORY_RESET_PHRASE}"`,
        body: confirmedBody,
        response: { 200: factoryResetSchema },
      },
    },
    async (request, reply) => {
      await confirmed(request, request.body, FACTORY_RESET_PHRASE, 'device.factory_reset');
      factoryReset(ctx, 'admin');
      clearSessionCookie(reply);
      return { activated: false };
    },
  );
}
