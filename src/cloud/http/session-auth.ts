import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ApiError } from '../../shared/http/api-error.js';
import { resumeCloudSession, type CloudSessions, type SignedIn } from '../accounts/sessions.js';

/** The session's cookie: `__Host-` (this host only, path /, Secure), out of scripts' reach, never sent cross-site. */
export const SESSION_COOKIE = '__Host-vigil_cloud_session';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The preHandler of every route that needs a logged-in owner: `{ preHandler: app.requireSession }`.
     * Without a live session it answers 401 `not_logged_in`; with one, `signedIn(request)` gives it.
     */
    requireSession: preHandlerAsyncHookHandler;
  }
  interface FastifyRequest {
    cloudSignedIn: SignedIn | null;
  }
}

/** The token of the session cookie, if the request carries one. */
function sessionToken(cookieHeader: string | undefined): string | undefined {
  for (const pair of (cookieHeader ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === SESSION_COOKIE) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

export const notLoggedIn = () => new ApiError(401, 'not_logged_in', 'Log in first: this needs a session, and this request has none (or it ended).');

/** Adds `app.requireSession` for the routes that need a logged-in owner. */
export function registerSessionAuth(app: FastifyInstance, sessions: CloudSessions): void {
  app.decorateRequest('cloudSignedIn', null);
  app.decorate('requireSession', async (request: FastifyRequest) => {
    const token = sessionToken(request.headers.cookie);
    const signedIn = token === undefined ? undefined : await resumeCloudSession(sessions, token, request.ip);
    if (!signedIn) throw notLoggedIn();
    request.cloudSignedIn = signedIn;
  });
}

/** The owner and session of a request that passed `app.requireSession`. */
export function signedIn(request: FastifyRequest): SignedIn {
  if (!request.cloudSignedIn) throw notLoggedIn(); // a route without the preHandler: refused, not trusted
  return request.cloudSignedIn;
}

/** Hands the browser its session: lives as long as the session can (its idle limit ends it sooner). */
export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`);
}
