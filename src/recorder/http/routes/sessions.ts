import { DEVICE_COOKIE } from '../../accounts/device-cookie.js';
import { checkCredentials } from '../../accounts/login.js';
import { sessionExpiresAt } from '../../../identity/sessions/policy.js';
import { endSession } from '../../accounts/sessions.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { loginBody, loginStateSchema, sessionListSchema } from '../../api/sessions.js';
import { secondFactorChallengeSchema } from '../../api/two-factor.js';
import type { SessionRecord } from '../../db/store.js';
import { isoTime as toIso } from '../../../shared/clock.js';
import { clearSessionCookie, requireAuth } from '../access.js';
import { ApiError, tooManyAttempts } from '../errors.js';
import { sendNewSession } from '../login-state.js';
import { secondFactorChallengeFor } from './two-factor.js';

const SESSION_ID = { type: 'string', pattern: '^[0-9a-f]{24}$' } as const;

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
      const secondFactor = await secondFactorChallengeFor(ctx, request, outcome.user, outcome.secondFactorMethods);
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
      await endSession(ctx, auth, auth.session.id, 'logout', request.ip);
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
      await endSession(ctx, auth, mine.id, 'revoked_by_user', request.ip);
      if (mine.id === auth.session.id) clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );
}
