import type { FastifyRequest } from 'fastify';
import { resumeSession, type SessionKeeping } from '../../identity/sessions/session-service.js';
import { ApiError } from '../../shared/http/api-error.js';
import { SESSION_COOKIE } from './login-routes.js';

/**
 * The smallest check that a request comes from a logged-in owner, for the offline reset's route
 * until the account lane's session middleware is on main: replace this module with it then. A
 * session exists only after a complete login (the password, and the second factor when the
 * account has one), so a live session is also the proof of two-step login.
 */

export interface OwnerSessions extends SessionKeeping<string> {
  findAccount(accountId: number): Promise<{ id: number; username: string } | undefined>;
}

export const notLoggedIn = () => new ApiError(401, 'not_logged_in', 'Log in first: this needs a session, and this request has none (or it ended).');

function sessionToken(request: FastifyRequest): string | undefined {
  for (const pair of (request.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** The account of the request's live session; 401 `not_logged_in` without one. */
export async function signedInOwner(sessions: OwnerSessions, request: FastifyRequest): Promise<{ id: number; username: string }> {
  const token = sessionToken(request);
  const resumed = token === undefined ? undefined : await resumeSession(sessions, token, request.ip, (id) => sessions.findAccount(id));
  if (!resumed) throw notLoggedIn();
  return resumed.account;
}
