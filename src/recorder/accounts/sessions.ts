import type { Clock } from '../../shared/clock.js';
import { sessionState, type SessionLifetime } from '../../identity/sessions/policy.js';
import { newSessionToken, sessionTokenHash } from '../../identity/sessions/tokens.js';
import type { AuditEvent, AuditLog } from '../audit/audit-log.js';
import type { RecorderStore, SessionRecord, UserRecord } from '../db/store.js';

/** What sessions are kept in and judged by. */
export interface SessionKeeping {
  store: Pick<RecorderStore, 'transaction' | 'createSession' | 'findSessionByTokenHash' | 'getUser' | 'touchSession' | 'revokeSession'>;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
  sessionLifetime: SessionLifetime;
}

/** A new session (see identity/sessions/tokens.ts for what the token is) and the audit entry of the login. */
export interface IssuedSession {
  token: string;
  session: SessionRecord;
}

export function issueSession(
  ctx: SessionKeeping,
  user: UserRecord,
  client: { ip: string; userAgent: string },
  /** Added to the `auth.login` audit entry, e.g. which second factor was used. */
  loginDetails?: AuditEvent['details'],
): IssuedSession {
  const { token, tokenHash, id } = newSessionToken();
  const now = ctx.clock.now();
  const session: SessionRecord = {
    id,
    tokenHash,
    userId: user.id,
    createdAt: now,
    createdIp: client.ip,
    userAgent: client.userAgent.slice(0, 512),
    lastSeenAt: now,
    lastSeenIp: client.ip,
    revokedAt: null,
    revokedReason: null,
  };
  ctx.store.transaction(() => {
    ctx.store.createSession(session);
    ctx.audit.append({
      type: 'auth.login',
      outcome: 'success',
      actor: { id: user.id, username: user.username },
      sourceIp: client.ip,
      target: `session:${session.id}`,
      details: loginDetails,
    });
  });
  return { token, session };
}

export interface Authenticated {
  user: UserRecord;
  session: SessionRecord;
}

/** The live session a token belongs to, touched as seen now; undefined if it is unknown, revoked or expired. */
export function resumeSession(ctx: SessionKeeping, token: string, ip: string): Authenticated | undefined {
  const session = ctx.store.findSessionByTokenHash(sessionTokenHash(token));
  if (!session) return undefined;
  const now = ctx.clock.now();
  if (sessionState(session, now, ctx.sessionLifetime) !== 'active') return undefined;
  const user = ctx.store.getUser(session.userId);
  if (!user) return undefined;
  ctx.store.touchSession(session.id, now, ip);
  return { user, session: { ...session, lastSeenAt: now, lastSeenIp: ip } };
}

/** Ends a session for good, and records who ended it and why. */
export function endSession(
  ctx: SessionKeeping,
  auth: Authenticated,
  sessionId: string,
  reason: 'logout' | 'revoked_by_user',
  sourceIp: string,
): void {
  ctx.store.transaction(() => {
    ctx.store.revokeSession(sessionId, reason, ctx.clock.now());
    ctx.audit.append({
      type: reason === 'logout' ? 'auth.logout' : 'session.revoked',
      outcome: 'success',
      actor: { id: auth.user.id, username: auth.user.username },
      sourceIp,
      target: `session:${sessionId}`,
    });
  });
}
