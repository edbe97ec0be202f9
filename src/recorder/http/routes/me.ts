import { changeOwnPassword } from '../../accounts/password-change.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { loginStateSchema, passwordChangeBody, passwordChangedSchema } from '../../api/sessions.js';
import { requireAuth } from '../access.js';
import { ApiError, passwordRejected, tooManyAttempts } from '../errors.js';
import { loginState } from '../login-state.js';

export function meRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/me',
    { config: { access: 'session' }, schema: { summary: 'Who is logged in', response: { 200: loginStateSchema } } },
    async (request) => loginState(ctx, requireAuth(request)),
  );

  app.post(
    '/api/v1/me/password',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Change my password; every other session of mine ends',
        body: passwordChangeBody,
        response: {
          200: passwordChangedSchema,
        },
      },
    },
    async (request) => {
      const outcome = await changeOwnPassword(ctx, requireAuth(request), { ...request.body, sourceIp: request.ip });
      if (outcome.ok) return { revokedSessions: outcome.revokedSessions };
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'invalid_current_password':
          throw new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
        case 'password_unchanged':
          throw new ApiError(422, 'password_unchanged', 'Choose a new password that is different from the current one.');
        case 'password_rejected':
          throw passwordRejected(outcome.reasons);
      }
    },
  );
}
