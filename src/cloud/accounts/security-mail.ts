import type { MailContent } from '../../identity/senders/smtp.js';
import { isoTime, type Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { CloudAccount } from '../db/accounts.js';
import type { Mailer, TextSender } from '../senders.js';

/** What an owner is told about their account, at every address it has. Never a password, code or token. */
export type SecurityNotice =
  | { kind: 'password_changed'; sourceIp: string }
  | { kind: 'two_factor_changed'; change: string; sourceIp: string }
  | { kind: 'new_client'; client: string; sourceIp: string };

const HAPPENED: Record<SecurityNotice['kind'], (notice: never) => { subject: string; line: string }> = {
  password_changed: () => ({ subject: 'Your Vigil cloud password was changed', line: 'The password of your Vigil cloud account was changed. Your other sessions were ended.' }),
  two_factor_changed: (n: Extract<SecurityNotice, { kind: 'two_factor_changed' }>) => ({
    subject: 'Your Vigil cloud two-step login changed',
    line: `The two-step login of your Vigil cloud account changed: ${n.change}.`,
  }),
  new_client: (n: Extract<SecurityNotice, { kind: 'new_client' }>) => ({
    subject: 'New login to your Vigil cloud account',
    line: `Your Vigil cloud account was logged in to from a client it had not seen: ${n.client}.`,
  }),
};

/**
 * The message of a notice: what happened, when, from where, and what to do if it was not the owner.
 * Pure. A link only to the cloud's configured address (--external-url), never one taken from a
 * request's Host header, which whoever sent the request chose.
 */
export function securityMessage(notice: SecurityNotice, at: number, externalUrl: string | undefined): MailContent {
  const { subject, line } = HAPPENED[notice.kind](notice as never);
  const where = externalUrl ? `log in at ${externalUrl}` : 'log in';
  return {
    subject,
    text:
      `${line}\n\nWhen: ${isoTime(at)}\nFrom the address: ${notice.sourceIp}\n\n` +
      `If this was you, there is nothing to do. If it was not, ${where}, change your password and end the sessions you do not know; ` +
      'if you cannot log in any more, reset your password with a code sent to this address.\n',
  };
}

export interface SecurityMailServices {
  /** Absent without --smtp: then nothing is mailed. */
  mailer?: Mailer;
  /** Absent without --sms-gateway: then nothing is texted. */
  texts?: TextSender;
  externalUrl?: string;
  logger: Pick<Logger, 'warn'>;
  clock: Clock;
}

/**
 * Tells the owner at every address of the account: a mail to its email address, a text to its
 * phone number. A delivery that fails is logged (without the message) and does not undo the change
 * it reports.
 */
export async function notifyOwner(s: SecurityMailServices, account: Pick<CloudAccount, 'id' | 'email' | 'phone'>, notice: SecurityNotice): Promise<void> {
  const message = securityMessage(notice, s.clock.now(), s.externalUrl);
  const deliveries: Promise<void>[] = [];
  if (account.email && s.mailer) deliveries.push(s.mailer.send(account.email, message));
  if (account.phone && s.texts) deliveries.push(s.texts.send(account.phone, `${message.subject}. ${message.text.split('\n')[0]}`));
  for (const result of await Promise.allSettled(deliveries)) {
    if (result.status === 'rejected') s.logger.warn({ err: result.reason, accountId: account.id, notice: notice.kind }, 'a security notice could not be delivered');
  }
}
