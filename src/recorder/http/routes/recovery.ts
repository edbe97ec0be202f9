import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { readinessSchema, recoveryResetBody, recoveryResetSchema, recoverySettingsBody } from '../../api/recovery.js';
import type { RecoverySettingsRecord } from '../../db/recovery-store.js';
import { completeRecoveryReset } from '../../recovery/complete-reset.js';
import { configuredRecoveryMethods } from '../../recovery/configured-methods.js';
import { assessReadiness } from '../../api/recovery-methods.js';
import { requireAuth } from '../access.js';
import { ApiError, passwordRejected, tooManyAttempts } from '../errors.js';

/** Names of the settings that differ, for the audit log. */
function changedSettings(before: RecoverySettingsRecord, after: RecoverySettingsRecord): string[] {
  return (Object.keys(after) as (keyof RecoverySettingsRecord)[]).filter((key) => before[key] !== after[key]);
}

export function recoveryRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/recovery/reset',
    {
      config: { access: 'public' },
      schema: {
        summary: 'The last step of every recovery path: choose a new admin password with a reset grant. Ends every session; logs nobody in',
        body: recoveryResetBody,
        response: {
          200: recoveryResetSchema,
        },
      },
    },
    async (request) => {
      const { token, newPassword, clearTwoFactor } = request.body;
      const outcome = await completeRecoveryReset(ctx, { token, newPassword, clearTwoFactor: clearTwoFactor === true, sourceIp: request.ip });
      if (outcome.ok) return { username: outcome.username, revokedSessions: outcome.revokedSessions, twoFactorCleared: outcome.twoFactorCleared };
      switch (outcome.reason) {
        case 'throttled':
          throw tooManyAttempts(outcome.retryAfterSeconds);
        case 'password_rejected':
          throw passwordRejected(outcome.reasons);
        case 'invalid_reset_token':
          throw new ApiError(401, 'invalid_reset_token', 'This reset has expired or was used already. Start the recovery again.');
      }
    },
  );

  app.get(
    '/api/v1/recovery/readiness',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'How many recovery paths are set up, and whether a strong one is among them',
        response: {
          200: readinessSchema,
        },
      },
    },
    async () => assessReadiness(configuredRecoveryMethods(ctx)),
  );

  app.get(
    '/api/v1/settings/recovery',
    { config: { access: 'admin' }, schema: { summary: 'Recovery settings', response: { 200: recoverySettingsBody } } },
    async () => ctx.recovery.getSettings(),
  );

  app.put(
    '/api/v1/settings/recovery',
    {
      config: { access: 'admin' },
      schema: {
        summary:
          'Whether the weak recovery paths (reserved email or phone, security questions) answer only LAN addresses (the default), and how long wrong answers to the security questions block them. A setting left out stays as it is',
        body: { ...recoverySettingsBody, required: [], minProperties: 1, additionalProperties: false },
        response: { 200: recoverySettingsBody },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      return ctx.store.transaction(() => {
        const before = ctx.recovery.getSettings();
        const settings = {
          weakPathsLanOnly: request.body.weakPathsLanOnly ?? before.weakPathsLanOnly,
          questionBlockMinutes: request.body.questionBlockMinutes ?? before.questionBlockMinutes,
        };
        ctx.recovery.putSettings(settings, ctx.clock.now());
        ctx.audit.append({
          type: 'settings.changed',
          outcome: 'success',
          actor: { id: auth.user.id, username: auth.user.username },
          sourceIp: request.ip,
          target: 'settings:recovery',
          details: { changed: changedSettings(before, settings).join(',') },
        });
        return settings;
      });
    },
  );
}
