import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { csrfTokenFor, isValidCsrfToken } from '../../identity/sessions/tokens.js';
import { can, DEVICE, DEVICE_ACTIONS, type DeviceAction } from '../accounts/permissions.js';
import { resumeSession, type Authenticated } from '../accounts/sessions.js';
import { permissionSubject } from '../accounts/users.js';
import { ALLOWED_WHILE_ENROLMENT_REQUIRED } from '../accounts/two-factor.js';
import { mustEnrolTwoFactor } from '../../identity/two-factor/methods.js';
import type { RecorderContext } from '../context.js';
import { CAMERA_ACCESS_ACTIONS, decideCameraAccess, type CameraAccessAction } from './camera-access.js';
import { ApiError, cameraNotFound, unauthenticated } from './errors.js';
import { noteDeviceAtStart } from './reset-guard.js';

/**
 * What a route requires. Every API route must declare one (deny by default: registering a route
 * without it fails at start-up):
 * - `anyone`: no login, answers even on an inactive device (device info, activation);
 * - `public`: no login, but only once the device is active (login);
 * - `session`: a logged-in user;
 * - `admin`: a logged-in admin;
 * - `{ permission }`: a logged-in user for whom `can(user, permission, device)` holds, checked on
 *   every request against the user's current role and grants;
 * - `{ cameraPermission }`: a logged-in user who may do that to the camera named by the route's
 *   `:id` (`any`: who may see it at all), checked on every request: 404 when the camera does not
 *   exist or the user may not see it, 403 when they see it but may not do this.
 */
export type RouteAccess = 'anyone' | 'public' | 'session' | 'admin' | { permission: DeviceAction } | { cameraPermission: CameraAccessAction };

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

/** What a `__Host-` cookie requires, plus no access from scripts and no cross-site sending. */
export const HARDENED_COOKIE = { path: '/', secure: true, httpOnly: true, sameSite: 'strict' } as const;

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, HARDENED_COOKIE);
}

const ACCESS_LEVELS: ReadonlySet<unknown> = new Set(['anyone', 'public', 'session', 'admin']);

export function isRouteAccess(value: unknown): value is RouteAccess {
  if (ACCESS_LEVELS.has(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const keys = Object.keys(value);
  if (keys.length !== 1) return false;
  if (keys[0] === 'permission') return (DEVICE_ACTIONS as readonly unknown[]).includes((value as { permission?: unknown }).permission);
  if (keys[0] === 'cameraPermission') return (CAMERA_ACCESS_ACTIONS as readonly unknown[]).includes((value as { cameraPermission?: unknown }).cameraPermission);
  return false;
}

/** All a session with a one-time password may do: see who it is, choose a new password, or leave. */
const ALLOWED_BEFORE_PASSWORD_CHANGE: ReadonlySet<string> = new Set([
  'GET /api/v1/me',
  'POST /api/v1/me/password',
  'DELETE /api/v1/sessions/current',
]);

export function installAccessControl(app: FastifyInstance, ctx: RecorderContext): void {
  app.addHook('onRoute', (route) => {
    // An unknown level must not pass either: the onRequest hook below would treat it as `public`.
    const isApi = route.url === '/api' || route.url.startsWith('/api/');
    if (isApi && !isRouteAccess(route.config?.access)) {
      throw new Error(
        `${String(route.method)} ${route.url} declares no access level (anyone, public, session, admin, { permission } or { cameraPermission }); every API route must`,
      );
    }
    // The camera-scoped level reads the camera from `:id`: on a route without one it would refuse everything.
    if (isApi && typeof route.config?.access === 'object' && 'cameraPermission' in route.config.access && !route.url.includes(':id')) {
      throw new Error(`${String(route.method)} ${route.url} declares { cameraPermission } but has no :id parameter naming the camera`);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const access = request.routeOptions.config.access;
    if (!access) return; // static files and 404s

    if (UNSAFE_METHODS.has(request.method)) rejectCrossOrigin(request);

    const device = ctx.store.getDevice();
    noteDeviceAtStart(request, device);
    if (access !== 'anyone' && !device?.activatedAt) {
      throw new ApiError(403, 'device_inactive', 'This recorder is not activated yet. Activate it with the code on its label.');
    }
    if (access === 'anyone' || access === 'public') return;

    const token = request.cookies[SESSION_COOKIE];
    const auth = token ? await resumeSession(ctx, token, request.ip) : undefined;
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
    const route = routeKey(request);
    if (auth.user.oneTimePasswordExpiresAt !== null && !ALLOWED_BEFORE_PASSWORD_CHANGE.has(route)) {
      throw new ApiError(403, 'password_change_required', 'Choose a new password first: the one you logged in with was a one-time password.');
    }
    if (access === 'admin' && auth.user.role !== 'admin') {
      throw new ApiError(403, 'forbidden', 'Only an admin may do this.');
    }
    if (typeof access === 'object' && 'permission' in access && !can(permissionSubject(ctx, auth.user), access.permission, DEVICE)) {
      throw new ApiError(403, 'forbidden', 'Your account is not allowed to do this. Ask an admin.');
    }
    if (!ALLOWED_WHILE_ENROLMENT_REQUIRED.has(route) && (await mustEnrolTwoFactor(ctx, auth.user.id))) {
      throw new ApiError(403, 'two_factor_enrolment_required', 'Set up two-step login first: this recorder requires it for everyone.');
    }
    if (typeof access === 'object' && 'cameraPermission' in access) {
      const cameraId = (request.params as Record<string, string | undefined>).id;
      const decision = decideCameraAccess(permissionSubject(ctx, auth.user), cameraId, (id) => ctx.cameras.get(id) !== undefined, access.cameraPermission);
      if (decision === 'not_found') throw cameraNotFound();
      if (decision === 'forbidden') throw new ApiError(403, 'forbidden', 'Your account is not allowed to do this with this camera. Ask an admin.');
    }
    request.auth = auth;
  });
}

/** "METHOD /route/pattern", HEAD counted as GET: how the lists of routes a restricted session may call are keyed. */
function routeKey(request: FastifyRequest): string {
  return `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`;
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
