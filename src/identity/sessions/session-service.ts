import type { Clock } from '../../shared/clock.js';
import type { SecurityEvent } from '../audit/security-event.js';
import { sessionState, type SessionLifetime } from './policy.js';
import type { SessionStore, StoredSession } from './session-store.js';
import { newSessionToken, sessionTokenHash } from './tokens.js';

/** What sessions are kept in and judged by. */
export interface SessionKeeping<Reason extends string> {
  sessions: SessionStore<Reason>;
  clock: Clock;
  sessionLifetime: SessionLifetime;
}

/** The account a session is for, as the audit log names it. */
export interface SessionAccount {
  id: number;
  username: string;
}

/** A new session: the bearer token, given to the client once (see tokens.ts), and what is stored. */
export interface IssuedSession<Reason extends string> {
  token: string;
  session: StoredSession<Reason>;
}

/** Ways a person ends a session themselves; the audit log tells them apart. */
export type SessionEnd = 'logout' | 'revoked_by_user';

/** Long enough for any real browser's user agent, short enough that a request cannot bloat the table. */
const MAX_USER_AGENT = 512;

/** Opens a session for a fully authenticated account; stored together with its `auth.login` audit entry. */
export async function issueSession<Reason extends string>(
  deps: SessionKeeping<Reason>,
  account: SessionAccount,
  client: { ip: string; userAgent: string },
  /** Added to the `auth.login` audit entry, e.g. which second factor was used. */
  loginDetails?: SecurityEvent['details'],
): Promise<IssuedSession<Reason>> {
  const { token, tokenHash, id } = newSessionToken();
  const now = deps.clock.now();
  const session: StoredSession<Reason> = {
    id,
    tokenHash,
    accountId: account.id,
    createdAt: now,
    createdIp: client.ip,
    userAgent: client.userAgent.slice(0, MAX_USER_AGENT),
    lastSeenAt: now,
    lastSeenIp: client.ip,
    revokedAt: null,
    revokedReason: null,
  };
  await deps.sessions.create(session, [
    {
      type: 'auth.login',
      outcome: 'success',
      actor: { id: account.id, username: account.username },
      sourceIp: client.ip,
      target: `session:${id}`,
      details: loginDetails,
    },
  ]);
  return { token, session };
}

/**
 * The live session a token belongs to and its account, touched as seen now; undefined if the
 * session is unknown, revoked or expired, or its account is gone (`findAccount` answers undefined).
 */
export async function resumeSession<Reason extends string, Account>(
  deps: SessionKeeping<Reason>,
  token: string,
  ip: string,
  findAccount: (accountId: number) => Account | undefined | Promise<Account | undefined>,
): Promise<{ account: Account; session: StoredSession<Reason> } | undefined> {
  const session = await deps.sessions.findByTokenHash(sessionTokenHash(token));
  if (!session) return undefined;
  const now = deps.clock.now();
  if (sessionState(session, now, deps.sessionLifetime) !== 'active') return undefined;
  const account = await findAccount(session.accountId);
  if (account === undefined) return undefined;
  await deps.sessions.touch(session.id, now, ip);
  return { account, session: { ...session, lastSeenAt: now, lastSeenIp: ip } };
}

/** Ends a session for good, recording who ended it and why; false if it had ended already. */
export function endSession<Reason extends string>(
  deps: SessionKeeping<Reason>,
  actor: SessionAccount,
  sessionId: string,
  reason: Reason & SessionEnd,
  sourceIp: string,
): Promise<boolean> {
  return deps.sessions.revoke(sessionId, reason, deps.clock.now(), [
    {
      type: reason === 'logout' ? 'auth.logout' : 'session.revoked',
      outcome: 'success',
      actor: { id: actor.id, username: actor.username },
      sourceIp,
      target: `session:${sessionId}`,
    },
  ]);
}
