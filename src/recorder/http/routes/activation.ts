import { activateDevice } from '../../accounts/activation.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { activatedSchema, activationBody } from '../../api/activation.js';
import { ApiError, passwordRejected, tooManyAttempts } from '../errors.js';

export function activationRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/activate',
    {
      config: { access: 'anyone' },
      schema: {
        summary: 'Activate a new recorder: prove possession with the label code and set the admin password',
        body: activationBody,
        response: {
          201: activatedSchema,
        },
      },
    },
    async (request, reply) => {
      const outcome = await activateDevice(ctx, { ...request.body, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send({ username: outcome.username });
      switch (outcome.reason) {
        case 'already_activated':
          throw new ApiError(409, 'already_activated', 'This recorder is already activated. Log in instead.');
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'invalid_label_code':
          throw new ApiError(403, 'invalid_label_code', 'That label code is not right. Check the sticker on the recorder.');
        case 'password_rejected':
          throw passwordRejected(outcome.reasons);
      }
    },
  );
}
