import { isoTime } from '../../shared/clock.js';
import type { AuditEntry, AuditLog } from '../audit/audit-log.js';
import type { SecuritySettingsStore } from '../db/security-settings-store.js';
import type { RecorderStore, Role } from '../db/store.js';
import { alertReservedContacts, type ContactDelivery } from '../recovery/reserved-contact.js';
import type { MailContent } from '../../identity/senders/smtp.js';

/**
 * Security mails: which audit entries become a mail to the account concerned, and what it says.
 *
 * The entries relied on (all with outcome `success`, except the lockout's `info`):
 * - `auth.login`, `actorUserId` = the user, `details.newDevice === true` (a login from a browser the
 *   account has not used before; set by the per-account lockout work). Without it: no mail.
 * - `password.changed`, `target: 'user:<id>'` (the user changed their own password).
 * - `password.reset`, `target: 'user:<id>'` (an admin reset it; `actorUsername` is the admin).
 * - `twofactor.enabled` / `twofactor.disabled`, `target: 'user:<id>'`.
 * - `recovery.password_reset`, `target: 'user:<id>'`, `details.method` (a recovery path was used).
 * - `recovery.cloud_reset_pending` (outcome `info`), `target: 'user:<id>'`, `details.effectiveAt` (a
 *   reset through the cloud account waits for the admin's waiting period, and can still be cancelled).
 * - `auth.lockout`, `target: 'user:<id>'`, and only when that account is an admin (a lockout per
 *   source address, `target: 'source:<ip>'`, concerns no account and sends nothing).
 * - `camera.password_revealed`, `target: 'camera:<id>'`, `details.camera` (its name): an admin was shown a
 *   camera's own password. It concerns every admin, so each admin gets the mail.
 * An optional string `details.userAgent` is quoted as the browser.
 *
 * No mail holds a password, code, token or a link that carries one: at most the configured
 * external URL of the recorder.
 */

export interface MailRecipient {
  username: string;
  role: Role;
}

export interface MailSetting {
  /** How the device is named in the mail, e.g. "VR-8 VGL260101ABCDEFGH". */
  deviceName: string;
  /** The recorder's address as the admin configured it (never a request's Host header); null if unknown. */
  externalUrl: string | null;
}

/** The user an entry concerns, if it is one of the kinds that may send a mail. */
export function recipientUserId(entry: Pick<AuditEntry, 'type' | 'actorUserId' | 'target'>): number | null {
  if (entry.type === 'auth.login') return entry.actorUserId;
  const match = /^user:(\d{1,15})$/.exec(entry.target ?? '');
  return match ? Number(match[1]) : null;
}

/** Every user an entry concerns: the one account of recipientUserId, or every admin for what concerns the whole recorder. */
export function recipientUserIds(entry: Pick<AuditEntry, 'type' | 'actorUserId' | 'target'>, store: Pick<RecorderStore, 'listUsers'>): number[] {
  if (entry.type === 'camera.password_revealed') return store.listUsers().filter((u) => u.role === 'admin').map((u) => u.id);
  const userId = recipientUserId(entry);
  return userId === null ? [] : [userId];
}

/** How a recovery method is named in a mail. */
const RECOVERY_METHOD_NAMES: Record<string, string> = {
  email: 'a code sent to the reserved email address',
  phone: 'a code sent to the reserved phone number',
  securityQuestions: 'the answers to the security questions',
  recoveryKey: 'the recovery key file',
  resetButton: 'the reset button and the label code',
  vendorSupport: 'a reset file from vendor support',
  cloud: 'the cloud account',
};

interface Notice {
  subject: string;
  /** One sentence: what happened. */
  happened: string;
  /** What to do if the user did not do it. */
  ifNotYou: string;
}

function noticeFor(entry: AuditEntry, details: Record<string, unknown>, user: MailRecipient): Notice | null {
  const byWhom = entry.actorUsername ? ` by ${entry.actorUsername}` : '';
  switch (entry.type) {
    case 'auth.login':
      if (entry.outcome !== 'success' || details.newDevice !== true) return null;
      return {
        subject: 'New login to your account',
        happened: `Your account ${user.username} was used to log in from a browser or device it had not used before.`,
        ifNotYou: 'change your password at once, then end the sessions you do not recognise under "My sessions".',
      };
    case 'password.changed':
      if (entry.outcome !== 'success') return null;
      return {
        subject: 'Your password was changed',
        happened: `The password of your account ${user.username} was changed. Your other sessions were logged out.`,
        ifNotYou: 'someone else knows your password: ask an admin to reset it and check the audit log.',
      };
    case 'password.reset':
      if (entry.outcome !== 'success') return null;
      return {
        subject: 'Your password was reset',
        happened: `The password of your account ${user.username} was reset${byWhom}. You will choose a new one at your next login.`,
        ifNotYou: 'you did not ask for it: tell the recorder\'s owner, who should check the audit log for who reset it.',
      };
    case 'recovery.password_reset': {
      if (entry.outcome !== 'success') return null;
      const method = typeof details.method === 'string' ? (RECOVERY_METHOD_NAMES[details.method] ?? details.method) : 'a recovery path';
      return {
        subject: 'Your admin password was reset through recovery',
        happened: `The password of your account ${user.username} was reset with ${method}. Every session of the account was logged out.`,
        ifNotYou: 'someone else holds your recovery evidence: do a factory reset from the recorder itself if you cannot log in, or else change the password and the recovery settings at once.',
      };
    }
    case 'recovery.cloud_reset_pending':
      return {
        subject: 'A reset of your admin password through the cloud account is waiting',
        happened: `The owner's cloud account asked to reset the password of your account ${user.username}. It takes effect at ${String(details.effectiveAt)} (UTC), when the waiting period set on this recorder ends.`,
        ifNotYou:
          'cancel it now on the recorder (log in as an admin, or open its Recovery page from your local network), then secure the cloud account: change its password and turn on two-step login.',
      };
    case 'twofactor.enabled':
    case 'twofactor.disabled': {
      if (entry.outcome !== 'success') return null;
      const on = entry.type === 'twofactor.enabled';
      return {
        subject: on ? 'Two-step login was turned on' : 'Two-step login was turned off',
        happened: `Two-step login was turned ${on ? 'on' : 'off'} for your account ${user.username}${byWhom}.`,
        ifNotYou: on
          ? 'someone may have taken over your account: change your password and check your two-step login settings.'
          : 'your account is now protected by its password alone: change your password and turn two-step login back on.',
      };
    }
    case 'auth.lockout':
      if (user.role !== 'admin') return null;
      return {
        subject: 'Your admin account was locked',
        happened: `Your admin account ${user.username} was locked after too many failed login attempts.`,
        ifNotYou: 'someone may be guessing your password: make sure it is long and unique, and turn on two-step login.',
      };
    case 'camera.password_revealed':
      if (entry.outcome !== 'success') return null;
      return {
        subject: "A camera's password was shown",
        happened: `The password of the camera "${String(details.camera)}" was shown to ${entry.actorUsername ?? 'an admin'}, to log in to the camera itself.`,
        ifNotYou: "someone with an admin's password and second factor used them: change that admin's password, then change the camera's password on the Cameras page and check the audit log.",
      };
    default:
      return null;
  }
}

/** Pure: the mail an entry should send to `user`, or null for none. */
export function securityMailFor(entry: AuditEntry, user: MailRecipient, setting: MailSetting): MailContent | null {
  const details = JSON.parse(entry.details) as Record<string, unknown>;
  const notice = noticeFor(entry, details, user);
  if (!notice) return null;
  const browser = typeof details.userAgent === 'string' ? `, browser ${details.userAgent.slice(0, 200)}` : '';
  const lines = [
    `Hello ${user.username},`,
    '',
    notice.happened,
    '',
    `When:   ${isoTime(entry.at)} (UTC)`,
    `From:   address ${entry.sourceIp ?? 'unknown'}${browser}`,
    `Device: ${setting.deviceName}`,
    '',
    'If this was you, there is nothing to do.',
    `If it was not you, ${notice.ifNotYou}`,
    ...(setting.externalUrl ? ['', `Your recorder: ${setting.externalUrl}`] : []),
    '',
    '-- ',
    'Sent by your Vigil recorder. Its mails never contain a password, a code or a link that logs you in.',
  ];
  return { subject: `Vigil: ${notice.subject}`, text: lines.join('\n') };
}

/** What the notifier listens to and mails through. */
export interface SecurityNotifying extends ContactDelivery {
  audit: Pick<AuditLog, 'subscribe'>;
  store: Pick<RecorderStore, 'getUser' | 'getDevice' | 'listUsers'>;
  securitySettings: Pick<SecuritySettingsStore, 'getNotificationEmail'>;
  externalUrl: string | null;
}

/**
 * Mails each security event to the notification address of each account it concerns; a recovery
 * reset, done or waiting, also goes to the account's reserved email and phone. Returns the unsubscribe function.
 */
export function startSecurityNotifier(ctx: SecurityNotifying): () => void {
  return ctx.audit.subscribe(async (entry) => {
    await Promise.all(recipientUserIds(entry, ctx.store).map((userId) => notify(entry, userId)));
  });

  async function notify(entry: AuditEntry, userId: number): Promise<void> {
    const user = ctx.store.getUser(userId);
    if (!user) return;
    const device = ctx.store.getDevice()!;
    const mail = securityMailFor(entry, user, { deviceName: `${device.model} ${device.serial}`, externalUrl: ctx.externalUrl });
    if (!mail) return;
    const to = ctx.securitySettings.getNotificationEmail(user.id);
    // The reserved email and phone too: whoever lost the password may still read those.
    if (entry.type === 'recovery.password_reset' || entry.type === 'recovery.cloud_reset_pending') alertReservedContacts(ctx, user.id, mail, to);
    if (!to || !ctx.mail.isEnabled()) return;
    await ctx.mail.send({ to, ...mail });
    ctx.logger.info({ event: 'security_mail_sent', auditSeq: entry.seq, userId: user.id }, 'security mail sent');
  }
}
