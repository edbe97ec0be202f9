import { sendBudgetLeft } from '../../identity/codes/code-rules.js';
import type { SentCode } from '../../identity/codes/code-store.js';
import type { CloudDatabase } from './database.js';
import type { CodeChannel } from './identity/sent-codes.js';
import { sentCodeStore } from './identity/sent-codes.js';
import { lockKeyUntilCommit } from './key-lock.js';

/** The mails an account may be sent per hour (the core's `sendBudgetLeft`), counted and spent in one step. */
export interface SendBudget {
  /**
   * Stores `sent` if the account may be sent one more message since `since`, `otherwise` if not,
   * and answers which. Concurrent calls for one account take turns, so they cannot all fit in the
   * budget by counting before any of them stored its send.
   */
  reserve(accountId: number, since: number, sent: SentCode<CodeChannel>, otherwise: SentCode<CodeChannel>): Promise<boolean>;
}

export function sendBudget(db: CloudDatabase): SendBudget {
  return {
    reserve: (accountId, since, sent, otherwise) =>
      db.transaction(async (tx) => {
        await lockKeyUntilCommit(tx, `sends:${accountId}`);
        const codes = sentCodeStore(tx);
        const within = sendBudgetLeft(await codes.countSendsSince(accountId, since));
        await codes.insert(within ? sent : otherwise);
        return within;
      }),
  };
}
