import { reauthenticate } from '../../accounts/reauthenticate.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { notificationEmailBody, notificationEmailChangeBody } from '../../api/notification-email.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';

/**
 * Each user's notification address: where security mails about their account go. Only notices:
 * verified recovery addresses are a separate thing (the recovery issue).
 */
export function notificationEmailRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/me/notification-email',
    { config: { access: 'session' }, schema: { summary: 'Where my security mails go', response: { 200: notificationEmailBody } } },
    async (request) => ({ email: ctx.securitySettings.getNotificationEmail(requireAuth(request).user.id) }),
  );

  app.put(
    '/api/v1/me/notification-email',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Set (or, with null, remove) where my security mails go; needs my password',
        body: notificationEmailChangeBody,
        response: { 200: notificationEmailBody },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const proof = await reauthenticate(ctx, auth, request.body.currentPassword, request.ip);
      const audited = {
        type: 'notification_email.changed',
        actor: { id: auth.user.id, username: auth.user.username },
        sourceIp: request.ip,
        target: `user:${auth.user.id}`,
      } as const;
      if (!proof.ok) {
        if (proof.reason === 'throttled') throw tooManyAttempts(proof.retryAfterSeconds);
        ctx.audit.append({ ...audited, outcome: 'failure', details: { reason: proof.reason } });
        throw new ApiError(403, 'invalid_current_password', 'Your current password is not right.');
      }
      const email = request.body.email;
      ctx.store.transaction(() => {
        ctx.securitySettings.setNotificationEmail(auth.user.id, email);
        ctx.audit.append({ ...audited, outcome: 'success', details: { set: email !== null } });
      });
      return { email };
    },
  );
}
