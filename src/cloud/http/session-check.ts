import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_SESSION_LIFETIME } from '../../identity/sessions/policy.js';
import { resumeSession } from '../../identity/sessions/session-service.js';
import type { SessionStore } from '../../identity/sessions/session-store.js';
import type { Clock } from '../../shared/clock.js';
import type { Queryable } from '../db/database.js';
import { findAccountName } from '../db/accounts.js';
import { SESSION_COOKIE } from './login-routes.js';

// INTERIM: the smallest session check the device routes need, in one module, until the
// cloud-account lane's session authentication is on main; then this file goes and the device
// routes use that one.

export interface SessionCheckDeps {
  db: Queryable;
  sessions: SessionStore;
  clock: Clock;
}

export interface SignedIn {
  account: { id: number; username: string };
  /** When the login that opened the session happened: the remote reset wants a fresh one. */
  loggedInAt: number;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The live session's account, or a 401 sent (and undefined). */
export async function requireSession(deps: SessionCheckDeps, request: FastifyRequest, reply: FastifyReply): Promise<SignedIn | undefined> {
  const token = cookieValue(request.headers.cookie, SESSION_COOKIE);
  const resumed =
    token === undefined
      ? undefined
      : await resumeSession({ sessions: deps.sessions, clock: deps.clock, sessionLifetime: DEFAULT_SESSION_LIFETIME }, token, request.ip, (id) =>
          findAccountName(deps.db, id),
        );
  if (!resumed) {
    await reply.code(401).send({ error: { code: 'unauthenticated', message: 'Log in first.' } });
    return undefined;
  }
  return { account: resumed.account, loggedInAt: resumed.session.createdAt };
}
