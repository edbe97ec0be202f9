import type { SmtpSecurity } from '../db/security-settings-store.js';

export interface SmtpServer {
  host: string;
  port: number;
  security: SmtpSecurity;
  username: string;
  password: string | null;
}

/** What a message says, whoever sends it and however (a mail, or a text message of both lines). */
export interface MailContent {
  subject: string;
  text: string;
}

/** Plain-text mail: no HTML, no attachments, no links that carry a secret. */
export interface MailMessage extends MailContent {
  from: string;
  to: string;
}

/**
 * Every phase of an SMTP conversation is bounded, so a dead or silent server makes a send fail
 * within seconds instead of holding a request (or a notification) for minutes.
 */
export const SMTP_TIMEOUTS_MS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000, dnsTimeout: 10_000 };

/** A send failed; `message` says why in words an installer can act on, without any secret. */
export class MailDeliveryError extends Error {}

export async function sendSmtp(server: SmtpServer, message: MailMessage): Promise<void> {
  const { createTransport } = await import('nodemailer'); // on first mail: ~3 MB of heap most recorders rarely need
  const transport = createTransport({
    host: server.host,
    port: server.port,
    secure: server.security === 'tls',
    requireTLS: server.security === 'starttls',
    ignoreTLS: server.security === 'none',
    auth: server.username ? { user: server.username, pass: server.password ?? '' } : undefined,
    ...SMTP_TIMEOUTS_MS,
    // Our messages are plain text built here; nothing in them may make nodemailer read a file or a URL.
    disableFileAccess: true,
    disableUrlAccess: true,
  });
  try {
    await transport.sendMail(message);
  } catch (error) {
    throw new MailDeliveryError(describeSmtpFailure(error as SmtpFailure, server));
  } finally {
    transport.close();
  }
}

/** The fields of a nodemailer error we read. */
export interface SmtpFailure {
  code?: string;
  responseCode?: number;
  message?: string;
}

/** Pure: a nodemailer error in plain words. Never quotes the server's text back beyond its status code. */
export function describeSmtpFailure(error: SmtpFailure, server: Pick<SmtpServer, 'host' | 'port'>): string {
  const where = `${server.host}:${server.port}`;
  const status = error.responseCode ? ` (SMTP status ${error.responseCode})` : '';
  const refused = /ECONNREFUSED/.test(error.message ?? '');
  switch (error.code) {
    case 'EAUTH':
      return `The mail server at ${where} refused the username or password${status}.`;
    case 'ENOAUTH':
      return `The mail server at ${where} needs a login: set a username and password.`;
    case 'EDNS':
      return `The mail server name ${server.host} could not be found: check the host.`;
    case 'ETIMEDOUT':
      return `The mail server at ${where} did not answer in time: check the host, the port and the firewall.`;
    case 'ETLS':
      return `The secure connection to ${where} failed: check the security setting (none, STARTTLS or TLS) and the server's certificate.`;
    case 'EENVELOPE':
      return `The mail server at ${where} refused the sender or the recipient address${status}.`;
    case 'EMESSAGE':
      return `The mail server at ${where} refused the message${status}.`;
    default:
      if (refused) return `Nothing answers at ${where} (connection refused): check the host and the port.`;
      if (error.code === 'ESOCKET' || error.code === 'ECONNECTION') {
        return `The connection to the mail server at ${where} failed: check the host, the port and the security setting.`;
      }
      return `Sending through the mail server at ${where} failed${status}.`;
  }
}
