import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, isValidCsrfToken, resumeSession, type Authenticated } from '../accounts/sessions.js';
import { allowedWhileEnrolmentRequired, mustEnrolTwoFactor } from '../accounts/two-factor.js';
import type { RecorderContext } from '../context.js';
import { ApiError, unauthenticated } from './errors.js';

/**
 * What a route requires. Every API route must declare one (deny by default: registering a route
 * without it fails at start-up):
 * - `anyone`: no login, answers even on an inactive device (device info, activation);
 * - `public`: no login, but only once the device is active (login);
 * - `session`: a logged-in user;
 * - `admin`: a logged-in admin.
 */
export type RouteAccess = 'anyone' | 'public' | 'session' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    auth?: Authenticated;
  }
}

export const SESSION_COOKIE = '__Host-vigil_session';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function requireAuth(request: FastifyRequest): Authenticated {
  if (!request.auth) throw unauthenticated(); // only reachable if a route's declaration is wrong
  return request.auth;
}

export function csrfTokenOf(ctx: RecorderContext, auth: Authenticated): string {
  return csrfTokenFor(ctx.store.getDevice()!.serverSecret, auth.session);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', secure: true, httpOnly: true, sameSite: 'strict' });
}

const ACCESS_LEVELS: ReadonlySet<unknown> = new Set<RouteAccess>(['anyone', 'public', 'session', 'admin']);

export function installAccessControl(app: FastifyInstance, ctx: RecorderContext): void {
  app.addHook('onRoute', (route) => {
    // An unknown level must not pass either: the onRequest hook below would treat it as `public`.
    const isApi = route.url === '/api' || route.url.startsWith('/api/');
    if (isApi && !ACCESS_LEVELS.has(route.config?.access)) {
      throw new Error(
        `${String(route.method)} ${route.url} declares no access level (anyone, public, session or admin); every API route must`,
      );
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // static files and 404s

    if (UNSAFE_METHODS.has(request.method)) rejectCrossOrigin(request);

    const device = ctx.store.getDevice();
    if (access !== 'anyone' && !device?.activatedAt) {
      throw new ApiError(403, 'device_inactive', 'This recorder is not activated yet. Activate it with the code on its label.');
    }
    if (access === 'anyone' || access === 'public') return;

    const token = request.cookies[SESSION_COOKIE];
    const auth = token ? resumeSession(ctx, token, request.ip) : undefined;
    if (!auth) {
      if (token) clearSessionCookie(reply);
      throw unauthenticated();
    }
    if (UNSAFE_METHODS.has(request.method)) {
      const presented = request.headers['x-csrf-token'];
      if (typeof presented !== 'string' || !isValidCsrfToken(device!.serverSecret, auth.session, presented)) {
        throw new ApiError(403, 'csrf_failed', 'Missing or wrong X-CSRF-Token header. Reload the page and try again.');
      }
    }
    if (access === 'admin' && auth.user.role !== 'admin') {
      throw new ApiError(403, 'forbidden', 'Only an admin may do this.');
    }
    if (!allowedWhileEnrolmentRequired(request.method, request.routeOptions.url ?? '') && mustEnrolTwoFactor(ctx, auth.user.id)) {
      throw new ApiError(403, 'two_factor_enrolment_required', 'Set up two-factor authentication first: this recorder requires it for everyone.');
    }
    request.auth = auth;
  });
}

/** Browsers always send Origin on cross-site writes; a mismatch is a forged request, whatever its cookies. */
function rejectCrossOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin === undefined) return; // not a browser, or same-origin navigation: SameSite and CSRF tokens cover it
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  if (host !== request.headers.host) {
    throw new ApiError(403, 'cross_origin', 'Requests from another site are refused.');
  }
}
