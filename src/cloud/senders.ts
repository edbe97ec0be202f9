import type { MailContent } from '../identity/senders/smtp.js';

/** How the cloud sends a mail (over SMTP, mail.ts); absent without --smtp. */
export interface Mailer {
  send(to: string, content: MailContent): Promise<void>;
}

/** How the cloud sends a text (through the SMS gateway, sms.ts); absent without --sms-gateway. */
export interface TextSender {
  send(to: string, text: string): Promise<void>;
}
