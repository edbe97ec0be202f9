import { isoTime as toIso } from '../../../shared/clock.js';
import type { Lockout } from '../../../identity/lockout/login-lockout.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { lockoutListSchema } from '../../api/lockouts.js';
import { requireAuth } from '../access.js';
import { ApiError } from '../errors.js';

const lockoutView = (lock: Lockout) => ({
  id: lock.id,
  account: { username: lock.username, userId: lock.userId },
  clientKind: lock.clientKind,
  client: lock.client,
  failures: lock.failures,
  lockedUntil: toIso(lock.lockedUntil),
});

export function lockoutRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/lockouts',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Clients locked out of an account now, and the lockout policy',
        response: {
          200: lockoutListSchema,
        },
      },
    },
    async () => ({ lockouts: (await ctx.lockout.list()).map(lockoutView), policy: ctx.lockout.policy }),
  );

  app.delete(
    '/api/v1/lockouts/:id',
    {
      config: { access: 'admin' },
      schema: {
        summary: 'Unlock: the client may try the account again',
        params: { type: 'object', required: ['id'], properties: { id: { type: 'string', pattern: '^[0-9a-f]{24}$' } } },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const unlocked = await ctx.lockout.unlock(request.params.id);
      if (!unlocked) throw new ApiError(404, 'not_found', 'No such lockout. It may have ended already.');
      ctx.audit.append({
        type: 'auth.unlock',
        outcome: 'success',
        actor: { id: auth.user.id, username: auth.user.username },
        sourceIp: request.ip,
        target: unlocked.target,
        details: { clientKind: unlocked.lock.clientKind, client: unlocked.lock.client },
      });
      return reply.code(204).send();
    },
  );
}
