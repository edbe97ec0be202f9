import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { tooManyRequests } from '../errors.js';
import { passwordInput, passwordReasons } from '../schemas.js';

export function passwordStrengthRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/password-strength',
    {
      // Open before activation too: the activation page is where the first password is chosen.
      config: { access: 'anyone' },
      schema: {
        summary: 'Rate a candidate password against the device password policy',
        body: {
          type: 'object',
          required: ['password'],
          additionalProperties: false,
          properties: { password: passwordInput, username: { type: 'string', maxLength: 64 } },
        },
        response: {
          200: {
            type: 'object',
            required: ['level', 'accepted', 'reasons'],
            properties: {
              level: { type: 'string', enum: ['risky', 'weak', 'medium', 'strong'] },
              accepted: { type: 'boolean' },
              reasons: passwordReasons,
            },
          },
        },
      },
    },
    async (request) => {
      const budget = ctx.strengthCheckThrottle.check(request.ip);
      if (!budget.allowed) throw tooManyRequests(budget.retryAfterSeconds);
      ctx.strengthCheckThrottle.record(request.ip);
      const device = ctx.store.getDevice();
      const verdict = await ctx.judgePassword(request.body.password, {
        username: request.body.username,
        serial: device?.serial,
        model: device?.model,
      });
      return { level: verdict.level, accepted: verdict.accepted, reasons: verdict.reasons };
    },
  );
}
