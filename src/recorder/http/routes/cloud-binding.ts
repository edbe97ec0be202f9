import { isoTime } from '../../../shared/clock.js';
import { reauthenticate } from '../../accounts/reauthenticate.js';
import { cloudBindingSchema, cloudUnbindBody } from '../../api/cloud-binding.js';
import type { RecorderContext } from '../../context.js';
import { requireAuth } from '../access.js';
import type { ApiApp } from '../api-app.js';
import { ApiError, tooManyAttempts } from '../errors.js';

/** The binding to a cloud account, for the admin: see it, and end it from the recorder's side. */
export function cloudBindingRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/device/cloud',
    {
      config: { access: 'admin' },
      schema: { summary: 'The cloud account this recorder is bound to, and its connection to the cloud', response: { 200: cloudBindingSchema } },
    },
    async () => {
      const binding = ctx.cloudBinding.get();
      const link = ctx.cloudLink;
      return {
        bound: binding !== undefined,
        cloudUrl: binding?.cloudUrl ?? null,
        ownerLabel: binding?.ownerLabel ?? null,
        since: binding ? isoTime(binding.boundAt) : null,
        connection: link ? { cloudUrl: link.cloudUrl, state: link.status().state, since: isoTime(link.status().since) } : null,
      };
    },
  );

  app.post(
    '/api/v1/device/cloud/unbind',
    {
      config: { access: 'admin' },
      schema: { summary: 'Unbind this recorder from its cloud account (the admin password again)', body: cloudUnbindBody, response: { 204: { type: 'null' } } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const actor = { id: auth.user.id, username: auth.user.username };
      const proof = await reauthenticate(ctx, auth, request.body.currentPassword, request.ip);
      if (!proof.ok) {
        if (proof.reason === 'throttled') throw tooManyAttempts(proof.retryAfterSeconds);
        ctx.audit.append({ type: 'cloud.unbound', outcome: 'failure', actor, sourceIp: request.ip, target: 'device', details: { reason: proof.reason } });
        throw new ApiError(403, 'invalid_current_password', 'Your current password is not right. Nothing was changed.');
      }
      const binding = ctx.cloudBinding.get();
      if (!binding || !ctx.cloudBinding.unbind()) throw new ApiError(404, 'not_bound', 'This recorder is not bound to a cloud account.');
      ctx.audit.append({ type: 'cloud.unbound', outcome: 'success', actor, sourceIp: request.ip, target: 'device', details: { cloud: binding.cloudUrl, by: 'admin' } });
      if (ctx.cloudLink?.cloudUrl === binding.cloudUrl) ctx.cloudLink.sendUnbound();
      return reply.code(204).send(null);
    },
  );
}
