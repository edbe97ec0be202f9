import type { SecurityEvent } from '../../identity/audit/security-event.js';
import { sessionState } from '../../identity/sessions/policy.js';
import { endSession, issueSession, resumeSession, type IssuedSession, type SessionKeeping } from '../../identity/sessions/session-service.js';
import type { StoredSession } from '../../identity/sessions/session-store.js';
import type { Logger } from '../../shared/logger.js';
import type { CloudAuditLog } from '../audit.js';
import type { CloudAccount } from '../db/accounts.js';

/** Why a cloud session ended; the audit log and the session's row keep it. */
export type CloudSessionReason = 'logout' | 'revoked_by_user' | 'password_changed' | 'password_reset';

/** As the store reads it back: the reason column is text (the cloud writes only a CloudSessionReason). */
export type CloudSession = StoredSession;

/** A login that opened a session, as the hooks that follow every login see it. */
export interface SucceededLogin {
  accountId: number;
  session: CloudSession;
  sourceIp: string;
}

/**
 * Something every complete login does after its session opened. The list is the hook point for
 * other services (a pending account recovery is cancelled by any login of its owner; a login from
 * a new client is told to the owner by mail): they add theirs, the login routes stay as they are.
 */
export type LoginHook = (login: SucceededLogin) => Promise<void>;

/** The cloud's sessions: the core's session service on the cloud's store and accounts. */
export interface CloudSessions extends SessionKeeping<string> {
  findAccount(accountId: number): Promise<CloudAccount | undefined>;
  audit: Pick<CloudAuditLog, 'append'>;
  onLoginSucceeded: LoginHook[];
  logger: Pick<Logger, 'error'>;
}

/** A request's live session and its account. */
export interface SignedIn {
  account: CloudAccount;
  session: CloudSession;
}

/**
 * Opens a session for an account whose login is complete (password, and its second factor if it
 * has one), with its `auth.login` audit entry, then runs the login hooks. A hook that fails is
 * logged, not answered: the login itself succeeded, and the owner must not be kept out by it.
 */
export async function openSession(
  s: CloudSessions,
  account: { id: number; username: string },
  client: { ip: string; userAgent: string },
  loginDetails?: SecurityEvent['details'],
): Promise<IssuedSession<string>> {
  const issued = await issueSession(s, account, client, loginDetails);
  for (const hook of s.onLoginSucceeded) {
    try {
      await hook({ accountId: account.id, session: issued.session, sourceIp: client.ip });
    } catch (error) {
      s.logger.error({ err: error, accountId: account.id }, 'a step after a login failed');
    }
  }
  return issued;
}

/** The live session of a presented token, touched as seen now; undefined if it ended, idled or aged out. */
export function resumeCloudSession(s: CloudSessions, token: string, ip: string): Promise<SignedIn | undefined> {
  return resumeSession(s, token, ip, (id) => s.findAccount(id));
}

/** The account's sessions that are still good now (not ended, not idle or aged out), newest first. */
export async function liveSessions(s: CloudSessions, accountId: number): Promise<CloudSession[]> {
  const now = s.clock.now();
  return (await s.sessions.listLive(accountId)).filter((session) => sessionState(session, now, s.sessionLifetime) === 'active');
}

/** Ends one of the signed-in account's own sessions; false if it has none live by that id. */
export async function endOwnSession(s: CloudSessions, who: SignedIn, sessionId: string, sourceIp: string): Promise<boolean> {
  const own = (await liveSessions(s, who.account.id)).some((session) => session.id === sessionId);
  const reason: CloudSessionReason = sessionId === who.session.id ? 'logout' : 'revoked_by_user';
  return own && endSession(s, who.account, sessionId, reason, sourceIp);
}

/** "Log out everywhere else": every session of the account but this one ends; answers how many did. */
export async function endOtherSessions(s: CloudSessions, who: SignedIn, sourceIp: string): Promise<number> {
  const reason: CloudSessionReason = 'revoked_by_user';
  const ended = await s.sessions.revokeAllOfAccount(who.account.id, reason, s.clock.now(), who.session.id);
  await s.audit.append({
    type: 'session.revoked',
    outcome: 'success',
    actor: { id: who.account.id, username: who.account.username },
    sourceIp,
    target: `user:${who.account.id}`,
    details: { otherSessions: ended },
  });
  return ended;
}
