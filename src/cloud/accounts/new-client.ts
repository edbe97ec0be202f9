import type { CloudAccount } from '../db/accounts.js';
import { describeUserAgent } from '../../shared/user-agent.js';
import { notifyOwner, type SecurityMailServices } from './security-mail.js';
import type { LoginHook } from './sessions.js';

/**
 * Whether a login comes from a client the account has not used: no earlier session had its
 * User-Agent. Pure. The very first login after sign-up has nothing to compare with and is no news
 * to the owner, who just signed up.
 */
export function isNewClient(earlierUserAgents: readonly string[], userAgent: string): boolean {
  return earlierUserAgents.length > 0 && !earlierUserAgents.includes(userAgent);
}

export interface NewClientNoticeServices {
  /** The User-Agents of the account's earlier sessions (ended ones too), but `exceptSessionId`'s. */
  earlierUserAgents(accountId: number, exceptSessionId: string): Promise<string[]>;
  findAccount(accountId: number): Promise<CloudAccount | undefined>;
  securityMail: SecurityMailServices;
}

/** The login hook that tells the owner, at every address, of a login from a new client. */
export function newClientNotice(s: NewClientNoticeServices): LoginHook {
  return async ({ accountId, session, sourceIp }) => {
    if (!isNewClient(await s.earlierUserAgents(accountId, session.id), session.userAgent)) return;
    const account = await s.findAccount(accountId);
    // Not awaited: a slow mail server must not hold up the login (notifyOwner logs, never throws).
    if (account) void notifyOwner(s.securityMail, account, { kind: 'new_client', client: describeUserAgent(session.userAgent), sourceIp });
  };
}
