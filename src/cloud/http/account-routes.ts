import type { FastifyInstance } from 'fastify';
import { endSession } from '../../identity/sessions/session-service.js';
import { secondFactorMethods, twoFactorStatus } from '../../identity/two-factor/methods.js';
import type { TwoFactorFactorStore } from '../../identity/two-factor/factor-store.js';
import type { TwoFactorPolicyStore } from '../../identity/two-factor/policy-store.js';
import { isoTime } from '../../shared/clock.js';
import { ApiError } from '../../shared/http/api-error.js';
import { describeUserAgent } from '../../shared/user-agent.js';
import { endOtherSessions, endOwnSession, liveSessions, type CloudSessions } from '../accounts/sessions.js';
import { clearSessionCookie, signedIn } from './session-auth.js';

export interface AccountRouteServices {
  sessions: CloudSessions;
  twoFactor: Pick<TwoFactorFactorStore, 'getTotp' | 'listPasskeys' | 'remainingRecoveryCodes'>;
  twoFactorPolicy: Pick<TwoFactorPolicyStore, 'isTwoFactorRequired'>;
}

const sessionIdParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', pattern: '^[0-9a-f]{1,64}$' } },
} as const;

/**
 * The logged-in owner's account and sessions: `POST /api/v1/logout`, `GET /api/v1/account`,
 * `GET /api/v1/account/sessions`, `DELETE /api/v1/account/sessions/:id` and
 * `POST /api/v1/account/sessions/revoke-others` ("log out everywhere else").
 */
export function registerAccountRoutes(app: FastifyInstance, s: AccountRouteServices): void {
  const { requireSession } = app;

  app.post('/api/v1/logout', { preHandler: requireSession }, async (request, reply) => {
    const who = signedIn(request);
    await endSession(s.sessions, who.account, who.session.id, 'logout', request.ip);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/v1/account', { preHandler: requireSession }, async (request) => {
    const { account } = signedIn(request);
    const [methods, status] = await Promise.all([secondFactorMethods(s, account.id), twoFactorStatus(s, account.id)]);
    return {
      id: account.id,
      email: account.email,
      phone: account.phone,
      // Only a verified account can log in: the address it signed up with answered its code.
      verified: true,
      twoFactor: { methods, totp: status.totp, passkeys: status.passkeys, recoveryCodesRemaining: status.recoveryCodesRemaining },
    };
  });

  app.get('/api/v1/account/sessions', { preHandler: requireSession }, async (request) => {
    const who = signedIn(request);
    const sessions = await liveSessions(s.sessions, who.account.id);
    return {
      sessions: sessions.map((session) => ({
        id: session.id,
        current: session.id === who.session.id,
        client: describeUserAgent(session.userAgent),
        createdAt: isoTime(session.createdAt),
        createdIp: session.createdIp,
        lastSeenAt: isoTime(session.lastSeenAt),
        lastSeenIp: session.lastSeenIp,
      })),
    };
  });

  app.delete('/api/v1/account/sessions/:id', { preHandler: requireSession, schema: { params: sessionIdParams } }, async (request, reply) => {
    const who = signedIn(request);
    const { id } = request.params as { id: string };
    if (!(await endOwnSession(s.sessions, who, id, request.ip))) {
      throw new ApiError(404, 'session_not_found', 'You have no live session with this id.');
    }
    if (id === who.session.id) clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.post('/api/v1/account/sessions/revoke-others', { preHandler: requireSession }, async (request) => {
    return { ended: await endOtherSessions(s.sessions, signedIn(request), request.ip) };
  });
}
