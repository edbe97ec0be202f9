import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  DEVICE_COOKIE,
  DEVICE_COOKIE_MAX_AGE_SECONDS,
  decodeDeviceCookie,
  encodeDeviceCookie,
  knownDeviceOf,
  newDeviceId,
} from '../../accounts/device-cookie.js';
import { checkCredentials } from '../../accounts/login.js';
import { effectivePermissions } from '../../accounts/permissions.js';
import { passwordAgeReminder } from '../../accounts/password-age.js';
import { sessionExpiresAt } from '../../accounts/session-policy.js';
import { endSession, issueSession, type Authenticated } from '../../accounts/sessions.js';
import { permissionSubject } from '../../accounts/users.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { loginBody, loginStateSchema, sessionListSchema } from '../../api/sessions.js';
import type { SessionRecord, UserRecord } from '../../db/store.js';
import { isoTime as toIso } from '../../../shared/clock.js';
import { clearSessionCookie, csrfTokenOf, HARDENED_COOKIE, requireAuth, SESSION_COOKIE } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { secondFactorChallengeFor } from './two-factor.js';
import { secondFactorChallengeSchema } from '../../api/two-factor.js';

const SESSION_ID = { type: 'string', pattern: '^[0-9a-f]{24}$' } as const;

export function loginState(ctx: RecorderContext, auth: Authenticated) {
  return {
    user: { id: auth.user.id, username: auth.user.username, role: auth.user.role },
    session: {
      id: auth.session.id,
      createdAt: toIso(auth.session.createdAt),
      expiresAt: toIso(sessionExpiresAt(auth.session, auth.session.lastSeenAt, ctx.sessionLifetime)),
    },
    csrfToken: csrfTokenOf(ctx, auth),
    passwordChangeRequired: auth.user.oneTimePasswordExpiresAt !== null,
    permissions: effectivePermissions(permissionSubject(ctx, auth.user)),
    passwordAgeReminder: passwordAgeReminder(
      auth.user.passwordChangedAt,
      ctx.clock.now(),
      ctx.securitySettings.getLoginRules().maxPasswordAgeDays,
    ),
  };
}

/** Issues a session for a fully authenticated user: the cookie, and the login state as the body (201). */
export function sendNewSession(
  ctx: RecorderContext,
  request: FastifyRequest,
  reply: FastifyReply,
  user: UserRecord,
  loginDetails?: Record<string, string>,
) {
  const serverSecret = ctx.store.getDevice()!.serverSecret;
  const presented = request.cookies[DEVICE_COOKIE];
  const known = presented === undefined ? undefined : decodeDeviceCookie(serverSecret, presented, ctx.clock.now());
  const knownDeviceId = knownDeviceOf(known, user);
  const { token, session } = issueSession(
    ctx,
    user,
    { ip: request.ip, userAgent: request.headers['user-agent'] ?? '' },
    { ...loginDetails, newDevice: knownDeviceId === undefined },
  );
  // Issued or refreshed on every login, bound to this user: this browser is now a known client of the account.
  const deviceToken = { userId: user.id, accountCreatedAt: user.createdAt, deviceId: knownDeviceId ?? newDeviceId(), issuedAt: ctx.clock.now() };
  reply.setCookie(DEVICE_COOKIE, encodeDeviceCookie(serverSecret, deviceToken), {
    ...HARDENED_COOKIE,
    maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
  });
  reply.setCookie(SESSION_COOKIE, token, { ...HARDENED_COOKIE, maxAge: ctx.sessionLifetime.absoluteSeconds });
  return reply.code(201).send(loginState(ctx, { user, session }));
}

function sessionView(ctx: RecorderContext, session: SessionRecord, currentId: string) {
  return {
    id: session.id,
    ip: session.lastSeenIp,
    createdIp: session.createdIp,
    userAgent: session.userAgent,
    createdAt: toIso(session.createdAt),
    lastSeenAt: toIso(session.lastSeenAt),
    expiresAt: toIso(sessionExpiresAt(session, session.lastSeenAt, ctx.sessionLifetime)),
    current: session.id === currentId,
  };
}

export function sessionRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.post(
    '/api/v1/sessions',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Log in',
        body: loginBody,
        response: { 200: secondFactorChallengeSchema, 201: loginStateSchema },
      },
    },
    async (request, reply) => {
      const outcome = await checkCredentials(ctx, {
        ...request.body,
        sourceIp: request.ip,
        deviceCookie: request.cookies[DEVICE_COOKIE],
      });
      if (!outcome.ok) {
        if (outcome.reason === 'throttled') throw tooManyAttempts(outcome.retryAfterSeconds);
        if (outcome.reason === 'one_time_password_expired') {
          throw new ApiError(401, 'one_time_password_expired', 'This one-time password has expired. Ask an admin for a new one.');
        }
        if (outcome.reason === 'address_not_allowed') {
          throw new ApiError(403, 'address_not_allowed', 'Logins from your address are not allowed on this recorder. Ask an admin, or use the local console.');
        }
        throw new ApiError(401, 'invalid_credentials', 'Wrong username or password.');
      }
      // Only now, with the password proven, may the answer say that this account has 2FA.
      const secondFactor = await secondFactorChallengeFor(ctx, request, outcome.user);
      if (secondFactor) return reply.code(200).send(secondFactor);
      return sendNewSession(ctx, request, reply, outcome.user);
    },
  );

  app.get(
    '/api/v1/sessions',
    {
      config: { access: 'session' },
      schema: {
        summary: 'My live sessions',
        response: {
          200: sessionListSchema,
        },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      const now = ctx.clock.now();
      const sessions = ctx.store
        .listSessions(auth.user.id)
        .filter((s) => sessionExpiresAt(s, s.lastSeenAt, ctx.sessionLifetime) > now)
        .map((s) => sessionView(ctx, s, auth.session.id));
      return { sessions };
    },
  );

  app.delete(
    '/api/v1/sessions/current',
    { config: { access: 'session' }, schema: { summary: 'Log out' } },
    async (request, reply) => {
      const auth = requireAuth(request);
      endSession(ctx, auth, auth.session.id, 'logout', request.ip);
      clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/v1/sessions/:id',
    {
      config: { access: 'session' },
      schema: {
        summary: 'Revoke one of my sessions',
        params: { type: 'object', required: ['id'], properties: { id: SESSION_ID } },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const mine = ctx.store.listSessions(auth.user.id).find((s) => s.id === request.params.id);
      if (!mine) throw new ApiError(404, 'not_found', 'No such session of yours. It may have ended already.');
      endSession(ctx, auth, mine.id, 'revoked_by_user', request.ip);
      if (mine.id === auth.session.id) clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );
}
