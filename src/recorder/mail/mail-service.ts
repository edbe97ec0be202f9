import { open, seal } from '../../identity/sealing/secret-box.js';
import { MailDeliveryError, sendSmtp, type MailMessage, type SmtpSecurity } from '../../identity/senders/smtp.js';
import type { MailSettingsRecord, SecuritySettingsStore } from '../db/security-settings-store.js';

/** Associated data of the sealed SMTP password: it opens only as that. */
const SMTP_PASSWORD_PURPOSE = 'vigil:smtp-password';

/** What an admin sees: everything but the password, of which only its existence is told. */
export interface MailSettingsView {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  from: string;
  passwordSet: boolean;
}

export interface MailSettingsInput {
  enabled: boolean;
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  /** Write-only: a string sets it, null removes it, absent keeps it (unless the server changed, see save). */
  password?: string | null;
  from: string;
}

const NOT_CONFIGURED: MailSettingsView = {
  enabled: false,
  host: '',
  port: 587,
  security: 'starttls',
  username: '',
  from: '',
  passwordSet: false,
};

/** The device's outgoing mail: its SMTP settings, with the password sealed at rest, and sending. */
export class MailService {
  constructor(
    private readonly settings: SecuritySettingsStore,
    private readonly secretKey: Buffer,
  ) {}

  view(): MailSettingsView {
    const stored = this.settings.getMailSettings();
    if (!stored) return NOT_CONFIGURED;
    const { enabled, host, port, security, username, from } = stored;
    return { enabled, host, port, security, username, from, passwordSet: stored.passwordSealed !== null };
  }

  /** Security mails go out (settings always name a server: the API requires a host). */
  isEnabled(): boolean {
    const stored = this.settings.getMailSettings();
    return stored?.enabled === true;
  }

  /**
   * Stores new settings; returns the names of the fields that changed (for the audit entry: names,
   * never values of secrets). A stored password is dropped when the server, the login or the
   * security changes without a new one: otherwise an admin could point the device at their own
   * server and have it hand over a password the API never reveals.
   */
  save(input: MailSettingsInput, now: number): string[] {
    const before = this.settings.getMailSettings();
    const serverChanged =
      before !== undefined &&
      (before.host !== input.host || before.port !== input.port || before.username !== input.username || before.security !== input.security);
    let passwordSealed: Buffer | null;
    if (typeof input.password === 'string') passwordSealed = seal(this.secretKey, SMTP_PASSWORD_PURPOSE, input.password);
    else if (input.password === null || serverChanged) passwordSealed = null;
    else passwordSealed = before?.passwordSealed ?? null;

    const next: MailSettingsRecord = { ...input, passwordSealed, updatedAt: now };
    this.settings.saveMailSettings(next);
    const previous = before ?? { ...NOT_CONFIGURED, passwordSealed: null };
    const changed = (['enabled', 'host', 'port', 'security', 'username', 'from'] as const).filter((k) => previous[k] !== next[k]);
    const passwordChanged = typeof input.password === 'string' || (previous.passwordSealed !== null) !== (passwordSealed !== null);
    return passwordChanged ? [...changed, 'password'] : changed;
  }

  /** Sends through the stored settings (enabled or not: a test mail comes before enabling). */
  async send(message: Omit<MailMessage, 'from'>): Promise<void> {
    const stored = this.settings.getMailSettings();
    if (!stored) throw new MailDeliveryError('No mail server is set up yet: save the mail settings first.');
    await sendSmtp(
      { host: stored.host, port: stored.port, security: stored.security, username: stored.username, password: this.#password(stored) },
      { ...message, from: stored.from },
    );
  }

  #password(stored: MailSettingsRecord): string | null {
    if (!stored.passwordSealed) return null;
    try {
      return open(this.secretKey, SMTP_PASSWORD_PURPOSE, stored.passwordSealed);
    } catch {
      throw new MailDeliveryError('The stored SMTP password cannot be decrypted (the settings key file was replaced): enter it again.');
    }
  }
}
