import type { FastifyReply, FastifyRequest } from 'fastify';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_SECONDS, decodeDeviceCookie, encodeDeviceCookie, knownDeviceOf, newDeviceId } from '../accounts/device-cookie.js';
import { effectivePermissions } from '../accounts/permissions.js';
import { passwordAgeReminder } from '../accounts/password-age.js';
import { sessionExpiresAt } from '../../identity/sessions/policy.js';
import { issueSession, type Authenticated } from '../accounts/sessions.js';
import { permissionSubject } from '../accounts/users.js';
import type { RecorderContext } from '../context.js';
import type { UserRecord } from '../db/store.js';
import { isoTime as toIso } from '../../shared/clock.js';
import { csrfTokenOf, HARDENED_COOKIE, SESSION_COOKIE } from './access.js';

/*
 * The end of every login, whichever step completes it (the password in routes/sessions.ts, the
 * second factor in routes/two-factor.ts): the session and device cookies, and the login state that
 * GET /me also answers.
 */

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
export async function sendNewSession(
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
  const { token, session } = await issueSession(
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
