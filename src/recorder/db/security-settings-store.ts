import type { Database as DatabaseHandle } from 'better-sqlite3';
import type { SmtpSecurity } from '../../identity/senders/smtp.js';

export interface MailSettingsRecord {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  /** The SMTP password, sealed (see identity/sealing/secret-box.ts); null when none is set. */
  passwordSealed: Buffer | null;
  from: string;
  updatedAt: number;
}

export interface LoginRulesRecord {
  maxPasswordAgeDays: number | null;
  allowListEnabled: boolean;
  allowList: string[];
}

/** Off by default: no reminder, no allow-list. */
export const DEFAULT_LOGIN_RULES: LoginRulesRecord = { maxPasswordAgeDays: null, allowListEnabled: false, allowList: [] };

/**
 * The security settings of the device (SMTP, password age, login allow-list) and each user's
 * notification address. Same database and transactions as RecorderStore; kept apart so the tables
 * each part owns stay readable.
 */
export interface SecuritySettingsStore {
  getMailSettings(): MailSettingsRecord | undefined;
  saveMailSettings(settings: MailSettingsRecord): void;
  getLoginRules(): LoginRulesRecord;
  saveLoginRules(rules: LoginRulesRecord, now: number): void;
  getNotificationEmail(userId: number): string | null;
  setNotificationEmail(userId: number, email: string | null): void;
}

interface MailRow {
  enabled: number;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  password_sealed: Buffer | null;
  sender: string;
  updated_at: number;
}
interface RulesRow {
  max_password_age_days: number | null;
  allow_list_enabled: number;
  allow_list: string;
}

export function createSecuritySettingsStore(db: DatabaseHandle): SecuritySettingsStore {
  const q = {
    mail: db.prepare<[], MailRow>('SELECT * FROM mail_settings WHERE id = 1'),
    saveMail: db.prepare(
      `INSERT INTO mail_settings (id, enabled, host, port, security, username, password_sealed, sender, updated_at)
       VALUES (1, @enabled, @host, @port, @security, @username, @passwordSealed, @from, @updatedAt)
       ON CONFLICT (id) DO UPDATE SET enabled = @enabled, host = @host, port = @port, security = @security,
         username = @username, password_sealed = @passwordSealed, sender = @from, updated_at = @updatedAt`,
    ),
    rules: db.prepare<[], RulesRow>('SELECT * FROM login_rules WHERE id = 1'),
    saveRules: db.prepare(
      `INSERT INTO login_rules (id, max_password_age_days, allow_list_enabled, allow_list, updated_at)
       VALUES (1, @maxPasswordAgeDays, @allowListEnabled, @allowList, @now)
       ON CONFLICT (id) DO UPDATE SET max_password_age_days = @maxPasswordAgeDays,
         allow_list_enabled = @allowListEnabled, allow_list = @allowList, updated_at = @now`,
    ),
    notificationEmail: db.prepare<[number], { notification_email: string | null }>(
      'SELECT notification_email FROM users WHERE id = ?',
    ),
    setNotificationEmail: db.prepare('UPDATE users SET notification_email = ? WHERE id = ?'),
  };

  return {
    getMailSettings() {
      const r = q.mail.get();
      return (
        r && {
          enabled: r.enabled === 1,
          host: r.host,
          port: r.port,
          security: r.security,
          username: r.username,
          passwordSealed: r.password_sealed,
          from: r.sender,
          updatedAt: r.updated_at,
        }
      );
    },
    saveMailSettings(settings) {
      q.saveMail.run({ ...settings, enabled: settings.enabled ? 1 : 0 });
    },
    getLoginRules() {
      const r = q.rules.get();
      if (!r) return DEFAULT_LOGIN_RULES;
      return {
        maxPasswordAgeDays: r.max_password_age_days,
        allowListEnabled: r.allow_list_enabled === 1,
        allowList: JSON.parse(r.allow_list) as string[],
      };
    },
    saveLoginRules(rules, now) {
      q.saveRules.run({
        maxPasswordAgeDays: rules.maxPasswordAgeDays,
        allowListEnabled: rules.allowListEnabled ? 1 : 0,
        allowList: JSON.stringify(rules.allowList),
        now,
      });
    },
    getNotificationEmail(userId) {
      return q.notificationEmail.get(userId)?.notification_email ?? null;
    },
    setNotificationEmail(userId, email) {
      q.setNotificationEmail.run(email, userId);
    },
  };
}
