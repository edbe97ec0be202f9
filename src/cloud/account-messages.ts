import type { MailContent } from '../identity/senders/smtp.js';
import type { Logger } from '../shared/logger.js';
import type { CloudAccount } from './db/accounts.js';
import type { CodeChannel } from './db/identity/sent-codes.js';
import type { Mailer, TextSender } from './senders.js';

/**
 * Messages to an account's addresses, sent in the background: a request never waits for a mail
 * server (its answer time would tell whether anything was sent), and a failure is logged without
 * the message, which may hold a code.
 */
export interface AccountMessages {
  /** Whether messages on this channel can go out at all (a mail server, an SMS gateway). */
  canSend(channel: CodeChannel): boolean;
  send(channel: CodeChannel, to: string, content: MailContent, what: string, accountId: number): void;
  /** The same notice to every address of the account the cloud can reach. */
  toEveryAddress(account: Pick<CloudAccount, 'id' | 'email' | 'phone'>, content: MailContent, what: string): void;
  /** Resolves when every send under way has ended (at close, and in tests). */
  settled(): Promise<void>;
}

export function accountMessages(senders: { mailer?: Mailer; texts?: TextSender }, logger: Logger): AccountMessages {
  const underWay = new Set<Promise<void>>();
  const deliver = (channel: CodeChannel, to: string, content: MailContent) =>
    channel === 'email' ? senders.mailer!.send(to, content) : senders.texts!.send(to, `${content.subject}\n${content.text}`);
  const messages: AccountMessages = {
    canSend: (channel) => (channel === 'email' ? senders.mailer : senders.texts) !== undefined,
    send(channel, to, content, what, accountId) {
      if (!messages.canSend(channel)) return;
      const sending = deliver(channel, to, content).then(
        () => logger.info({ event: 'account_message_sent', accountId, channel, what }, 'sent to an address of an account'),
        (error: unknown) =>
          logger.warn(
            { event: 'account_message_failed', accountId, channel, what, reason: error instanceof Error ? error.message : 'unknown' },
            'could not send to an address of an account',
          ),
      );
      underWay.add(sending);
      void sending.finally(() => underWay.delete(sending));
    },
    toEveryAddress(account, content, what) {
      if (account.email) messages.send('email', account.email, content, what, account.id);
      if (account.phone) messages.send('sms', account.phone, content, what, account.id);
    },
    async settled() {
      while (underWay.size > 0) await Promise.all(underWay);
    },
  };
  return messages;
}
