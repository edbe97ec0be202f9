import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { recoveryKeyCreateBody, recoveryKeyFileSchema, recoveryKeyImportBody, recoveryKeyStatusSchema } from '../../api/recovery-key.js';
import { createRecoveryKey, importRecoveryKey, recoveryKeyStatus } from '../../recovery/recovery-key.js';
import { resetGrantSchema } from '../../api/recovery.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { methodBlocked, stepUpRefusal } from '../recovery-errors.js';

/** The recovery key file: an admin exports it for their own account; importing it earns a reset grant, once. */
export function recoveryKeyRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/me/recovery/key',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Whether I have a usable recovery key file, and when it was made (or used)',
        response: {
          200: recoveryKeyStatusSchema,
        },
      },
    },
    async (request) => recoveryKeyStatus(ctx, requireAuth(request).user.id),
  );

  app.post(
    '/api/v1/me/recovery/key',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Make a new recovery key file, shown only now; the previous file stops working. Needs my password and my second factor, if I have one',
        body: recoveryKeyCreateBody,
        response: {
          201: recoveryKeyFileSchema,
        },
      },
    },
    async (request, reply) => {
      const { currentPassword, totp, recoveryCode } = request.body;
      const outcome = await createRecoveryKey(ctx, requireAuth(request), { currentPassword, proof: { totp, recoveryCode }, sourceIp: request.ip });
      // The file is the secret: no cache may keep a copy of this answer.
      reply.header('cache-control', 'no-store');
      if (outcome.ok) return reply.code(201).send({ fileName: outcome.fileName, content: outcome.content, createdAt: outcome.createdAt });
      throw stepUpRefusal(outcome);
    },
  );

  app.post(
    '/api/v1/recovery/key/verify',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Import a recovery key file (its text) for a reset grant; each file works once',
        body: recoveryKeyImportBody,
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      const outcome = importRecoveryKey(ctx, { file: request.body.file, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send(outcome.grant);
      switch (outcome.reason) {
        case 'blocked':
          throw methodBlocked(outcome.retryAfterSeconds);
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'invalid_recovery_key':
          throw new ApiError(
            401,
            'invalid_recovery_key',
            'This is not a valid recovery key file for this recorder, or it was used already. Each file works once: after a recovery, export a new one.',
          );
      }
    },
  );
}
