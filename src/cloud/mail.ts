import { sendSmtp, type SmtpSecurity, type SmtpServer } from '../identity/senders/smtp.js';
import type { Mailer } from './senders.js';

/** How the cloud sends mail: through this server, from this address. */
export interface CloudMailSettings {
  server: SmtpServer;
  from: string;
}

/**
 * An SMTP server given as a URL: `smtps://user:password@host:465` (TLS), `smtp://...:587`
 * (STARTTLS, required), or `smtp://...?security=none` for a relay on the same machine.
 */
export function parseSmtpUrl(value: string): SmtpServer {
  const url = new URL(value);
  const tls = url.protocol === 'smtps:';
  if (!tls && url.protocol !== 'smtp:') throw new Error('expected smtp:// or smtps://');
  const asked = url.searchParams.get('security');
  if (asked !== null && (tls || asked !== 'none')) throw new Error('the only security= setting is none, on smtp://');
  const security: SmtpSecurity = tls ? 'tls' : asked === 'none' ? 'none' : 'starttls';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : tls ? 465 : 587,
    security,
    username: decodeURIComponent(url.username),
    password: url.password ? decodeURIComponent(url.password) : null,
  };
}

export function smtpMailer(settings: CloudMailSettings): Mailer {
  return { send: (to, content) => sendSmtp(settings.server, { from: settings.from, to, ...content }) };
}
