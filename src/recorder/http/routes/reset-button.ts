import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { buttonEvidenceBody } from '../../api/reset-button.js';
import { verifyButtonEvidence } from '../../recovery/reset-button.js';
import { resetGrantSchema } from '../../api/recovery.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { methodBlocked } from '../recovery-errors.js';

export function resetButtonRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/recovery/button/verify',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Within 10 minutes of a short press of the reset button: the label code from the sticker gives a reset grant for an admin account',
        body: buttonEvidenceBody,
        response: { 201: resetGrantSchema },
      },
    },
    async (request, reply) => {
      const outcome = await verifyButtonEvidence(ctx, { ...request.body, sourceIp: request.ip });
      if (outcome.ok) return reply.code(201).send(outcome.grant);
      switch (outcome.reason) {
        case 'window_closed':
          throw new ApiError(
            403,
            'button_window_closed',
            'Press the reset button on the recorder briefly (a short press), then enter the label code within 10 minutes. A press allows one reset.',
          );
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'blocked':
          throw methodBlocked(outcome.retryAfterSeconds);
        case 'invalid_label_code':
          throw new ApiError(401, 'invalid_label_code', 'The label code or the account name is not right. Check the sticker on the recorder.');
      }
    },
  );
}
