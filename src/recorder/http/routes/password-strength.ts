import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { passwordStrengthBody, passwordVerdictSchema } from '../../api/password-strength.js';
import { tooManyRequests } from '../errors.js';

export function passwordStrengthRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/password-strength',
    {
      // Open before activation too: the activation page is where the first password is chosen.
      config: { access: 'anyone' },
      schema: {
        summary: 'Rate a candidate password against the device password policy',
        body: passwordStrengthBody,
        response: {
          200: passwordVerdictSchema,
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
