import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, decodeDeviceCookie, encodeDeviceCookie, knownDeviceOf, newDeviceId } from '../accounts/device-cookie.js';
import { CAMERA_ACTIONS, DEVICE_ACTIONS, effectivePermissions } from '../accounts/permissions.js';
import { passwordAgeReminder } from '../accounts/password-age.js';
import { sessionExpiresAt } from '../accounts/session-policy.js';
import { issueSession, type Authenticated } from '../accounts/sessions.js';
import { permissionSubject } from '../accounts/users.js';
import type { RecorderContext } from '../context.js';
import type { UserRecord } from '../db/store.js';
import { isoTime as toIso } from '../../shared/clock.js';
import { csrfTokenOf, HARDENED_COOKIE, SESSION_COOKIE } from './access.js';
import { isoTime, userSummary } from './schemas.js';

/*
 * The end of every login, whichever step completes it (the password in routes/sessions.ts, the
 * second factor in routes/two-factor.ts): the session and device cookies, and the login state that
 * GET /me also answers.
 */

/** The body of a successful login and of GET /me: who, which session, and the token for writes. */
export const loginStateSchema = {
  type: 'object',
  required: ['user', 'session', 'csrfToken', 'passwordChangeRequired', 'permissions'],
  properties: {
    user: userSummary,
    passwordChangeRequired: {
      type: 'boolean',
      description: 'the password is a one-time password: until it is changed, only GET /me, POST /me/password and logout work',
    },
    permissions: {
      type: 'object',
      description: 'what this user may do now, on the device and on every camera',
      required: ['device', 'allCameras'],
      properties: {
        device: { type: 'array', items: { type: 'string', enum: [...DEVICE_ACTIONS] } },
        allCameras: { type: 'array', items: { type: 'string', enum: [...CAMERA_ACTIONS] } },
      },
    },
    session: {
      type: 'object',
      required: ['id', 'createdAt', 'expiresAt'],
      properties: { id: { type: 'string' }, createdAt: isoTime, expiresAt: isoTime },
    },
    csrfToken: { type: 'string' },
    passwordAgeReminder: {
      type: ['object', 'null'],
      description: 'set when the password is older than the maximum age an admin chose: a reminder, not a forced change',
      required: ['ageDays', 'maxDays'],
      properties: { ageDays: { type: 'integer' }, maxDays: { type: 'integer' } },
    },
  },
} as const;

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
