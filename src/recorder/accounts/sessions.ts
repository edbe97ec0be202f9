import type { SecurityEvent } from '../../identity/audit/security-event.js';
import * as core from '../../identity/sessions/session-service.js';
import type { RecorderStore, RevocationReason, SessionRecord, UserRecord } from '../db/store.js';
import { withUserId } from '../db/account-id.js';

/** The recorder's sessions: the core's (identity/sessions/session-service.ts), for its users. */
export interface SessionKeeping extends core.SessionKeeping<RevocationReason> {
  store: Pick<RecorderStore, 'getUser'>;
}

export interface IssuedSession {
  token: string;
  session: SessionRecord;
}

export interface Authenticated {
  user: UserRecord;
  session: SessionRecord;
}

/** A new session for `user`, audited as its login. */
export async function issueSession(
  ctx: SessionKeeping,
  user: UserRecord,
  client: { ip: string; userAgent: string },
  loginDetails?: SecurityEvent['details'],
): Promise<IssuedSession> {
  const { token, session } = await core.issueSession(ctx, user, client, loginDetails);
  return { token, session: withUserId(session) };
}

/** The live session a token belongs to and its user; undefined if it is unknown, revoked or expired. */
export async function resumeSession(ctx: SessionKeeping, token: string, ip: string): Promise<Authenticated | undefined> {
  const found = await core.resumeSession(ctx, token, ip, (id) => ctx.store.getUser(id));
  return found && { user: found.account, session: withUserId(found.session) };
}

/** Ends a session for good, and records who ended it and why. */
export async function endSession(ctx: SessionKeeping, auth: Authenticated, sessionId: string, reason: core.SessionEnd, sourceIp: string): Promise<void> {
  await core.endSession(ctx, auth.user, sessionId, reason, sourceIp);
}
