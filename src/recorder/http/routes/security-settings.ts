import { secondFactorMethods } from '../../../identity/two-factor/methods.js';
import { isListed, parseAllowListEntry } from '../../accounts/login-allow-list.js';
import type { Authenticated } from '../../accounts/sessions.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import {
  allowListBody,
  allowListView,
  checkupSchema,
  mailSettingsBody,
  mailSettingsView,
  passwordAgeBody,
  testMailBody,
  testMailSentSchema,
} from '../../api/security-settings.js';
import type { LoginRulesRecord } from '../../db/security-settings-store.js';
import { MailDeliveryError } from '../../../identity/senders/smtp.js';
import { securityCheckup } from '../../security/checkup.js';
import { requireAuth } from '../access.js';
import { ApiError, tooManyRequests } from '../errors.js';
import { configuredRecoveryMethods } from '../../recovery/configured-methods.js';
import { assessReadiness } from '../../api/recovery-methods.js';

/** Security settings an admin manages: outgoing mail, the password-age reminder, the login allow-list; and the checkup. */
export function securitySettingsRoutes(app: ApiApp, ctx: RecorderContext): void {
  function recordSettingsChange(request: { ip: string }, auth: Authenticated, section: string, changed: string[]): void {
    ctx.audit.append({
      type: 'settings.changed',
      outcome: 'success',
      actor: { id: auth.user.id, username: auth.user.username },
      sourceIp: request.ip,
      target: `settings:${section}`,
      details: { changed: changed.join(',') },
    });
  }

  function saveLoginRules(request: { ip: string }, auth: Authenticated, section: string, change: Partial<LoginRulesRecord>): LoginRulesRecord {
    return ctx.store.transaction(() => {
      const before = ctx.securitySettings.getLoginRules();
      const after = { ...before, ...change };
      ctx.securitySettings.saveLoginRules(after, ctx.clock.now());
      const changed = (Object.keys(change) as (keyof LoginRulesRecord)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      recordSettingsChange(request, auth, section, changed);
      return after;
    });
  }

  app.get(
    '/api/v1/settings/mail',
    { config: { access: 'admin' }, schema: { summary: 'Outgoing mail (SMTP) settings; the password is never returned', response: { 200: mailSettingsView } } },
    async () => ctx.mail.view(),
  );

  app.put(
    '/api/v1/settings/mail',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Set the outgoing mail server. The password is write-only: omit it to keep the stored one (dropped if the server changes), null removes it',
        body: mailSettingsBody,
        response: { 200: mailSettingsView },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      ctx.store.transaction(() => {
        const changed = ctx.mail.save(request.body, ctx.clock.now());
        recordSettingsChange(request, auth, 'mail', changed);
      });
      return ctx.mail.view();
    },
  );

  app.post(
    '/api/v1/settings/mail/test',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Send a test mail through the saved settings (enabled or not); SMTP failures are a 502 in plain words',
        body: testMailBody,
        response: { 200: testMailSentSchema },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const budget = `user:${auth.user.id}`;
      const throttle = ctx.mailTestThrottle.check(budget);
      if (!throttle.allowed) throw tooManyRequests(throttle.retryAfterSeconds);
      ctx.mailTestThrottle.record(budget);

      if (!ctx.securitySettings.getMailSettings()) {
        throw new ApiError(409, 'mail_not_configured', 'No mail server is set up yet: save the mail settings first.');
      }
      const { to } = request.body;
      const device = ctx.store.getDevice()!;
      const audited = (outcome: 'success' | 'failure', reason?: string) =>
        ctx.audit.append({
          type: 'mail.test_sent',
          outcome,
          actor: { id: auth.user.id, username: auth.user.username },
          sourceIp: request.ip,
          target: `mail:${to}`,
          details: reason ? { reason } : {},
        });
      try {
        await ctx.mail.send({
          to,
          subject: 'Vigil: test mail',
          text: [
            `This is a test mail from the Vigil recorder ${device.model} ${device.serial}, sent by ${auth.user.username}.`,
            '',
            'It arrived, so the recorder can send security mails through this server.',
            ...(ctx.externalUrl ? ['', `Your recorder: ${ctx.externalUrl}`] : []),
          ].join('\n'),
        });
      } catch (error) {
        if (!(error instanceof MailDeliveryError)) throw error;
        audited('failure', error.message);
        throw new ApiError(502, 'mail_delivery_failed', error.message);
      }
      audited('success');
      return { sent: true };
    },
  );

  app.get(
    '/api/v1/settings/password-age',
    { config: { access: 'admin' }, schema: { summary: 'The password-age reminder (null: off, the default)', response: { 200: passwordAgeBody } } },
    async () => ({ maxPasswordAgeDays: ctx.securitySettings.getLoginRules().maxPasswordAgeDays }),
  );

  app.put(
    '/api/v1/settings/password-age',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Remind users to change passwords older than this many days (null: never). A reminder, not a forced change',
        body: { ...passwordAgeBody, additionalProperties: false },
        response: { 200: passwordAgeBody },
      },
    },
    async (request) => {
      const rules = saveLoginRules(request, requireAuth(request), 'password-age', { maxPasswordAgeDays: request.body.maxPasswordAgeDays });
      return { maxPasswordAgeDays: rules.maxPasswordAgeDays };
    },
  );

  app.get(
    '/api/v1/settings/login-allow-list',
    { config: { access: 'admin' }, schema: { summary: 'Addresses logins are accepted from (loopback always is)', response: { 200: allowListView } } },
    async (request) => {
      const rules = ctx.securitySettings.getLoginRules();
      return { enabled: rules.allowListEnabled, entries: rules.allowList, yourAddress: request.ip };
    },
  );

  app.put(
    '/api/v1/settings/login-allow-list',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Accept logins only from these addresses and CIDR ranges (loopback always). A list without your own address needs confirm: true',
        body: allowListBody,
        response: { 200: allowListView },
      },
    },
    async (request) => {
      const { enabled, confirm } = request.body;
      const entries = request.body.entries.map((e) => e.trim());
      const invalid = entries.filter((e) => parseAllowListEntry(e) === null);
      if (invalid.length > 0) {
        throw new ApiError(422, 'invalid_allow_list', `Not an address or CIDR range: ${invalid.slice(0, 5).join(', ')}.`, { invalid });
      }
      // Checked against the list itself, loopback exemption aside: an admin saving from the console
      // is asked too, since the same list would shut them out from anywhere else.
      if (enabled && confirm !== true && !isListed(request.ip, entries)) {
        throw new ApiError(
          409,
          'confirm_required',
          `Your address ${request.ip} is not in this list: you could not log in from where you are now (the local console always can). Send confirm: true to save it anyway.`,
          { yourAddress: request.ip },
        );
      }
      const rules = saveLoginRules(request, requireAuth(request), 'login-allow-list', { allowListEnabled: enabled, allowList: entries });
      return { enabled: rules.allowListEnabled, entries: rules.allowList, yourAddress: request.ip };
    },
  );

  app.get(
    '/api/v1/security/checkup',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'What weakens this recorder, most serious first',
        response: { 200: checkupSchema },
      },
    },
    async () => {
      const rules = ctx.securitySettings.getLoginRules();
      const findings = securityCheckup({
        now: ctx.clock.now(),
        accounts: await Promise.all(
          ctx.store.listUsers().map(async (user) => ({
            id: user.id,
            username: user.username,
            role: user.role,
            passwordChangedAt: user.passwordChangedAt,
            twoFactorEnabled: (await secondFactorMethods(ctx, user.id)).length > 0,
          })),
        ),
        recovery: assessReadiness(configuredRecoveryMethods(ctx)),
        transport: { ...ctx.transport, externalUrl: ctx.externalUrl },
        maxPasswordAgeDays: rules.maxPasswordAgeDays,
        allowListEnabled: rules.allowListEnabled,
        mailEnabled: ctx.mail.isEnabled(),
      });
      return { findings };
    },
  );
}
