import { isoTime as toIso } from '../../../shared/clock.js';
import { NO_GRANTS, type Grants } from '../../accounts/permissions.js';
import { createUser, deleteUser, resetPassword, updateUser, type InvalidGrants, type UserRefusal } from '../../accounts/users.js';
import type { RecorderContext } from '../../context.js';
import type { ApiApp } from '../api-app.js';
import { newUserBody, newUserSchema, passwordResetSchema, userChangeBody, userListSchema, userView } from '../../api/users.js';
import type { UserRecord } from '../../db/store.js';
import { requireAuth, type RouteAccess } from '../access.js';
import { ApiError } from '../errors.js';

const MANAGE_USERS: RouteAccess = { permission: 'manage_users' };

const userIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[1-9][0-9]{0,9}$' } },
} as const;

type GrantsSent = Omit<Grants, 'denied'> & Partial<Pick<Grants, 'denied'>>;
const withDenials = (sent: GrantsSent): Grants => ({ ...sent, denied: sent.denied ?? {} });

function viewOf(ctx: RecorderContext, user: UserRecord) {
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    permissions: ctx.store.getGrants(user.id),
    passwordChangeRequired: user.oneTimePasswordExpiresAt !== null,
    createdAt: toIso(user.createdAt),
  };
}

const REFUSALS: Record<Exclude<UserRefusal, 'own_account'>, [status: number, message: string]> = {
  not_found: [404, 'No such user. It may have been deleted.'],
  forbidden: [403, 'Your account is not allowed to do this. Ask an admin.'],
  last_admin: [409, 'There must always be an admin. Make another user an admin first.'],
  username_taken: [409, 'That username is taken (usernames ignore upper and lower case).'],
};

/** The API error for a refused create or update: the grants sent may be what was wrong. */
const changeRefusal = (outcome: { reason: UserRefusal } | InvalidGrants): ApiError =>
  outcome.reason === 'invalid_denial' ? new ApiError(400, outcome.reason, outcome.message) : refusal(outcome.reason);

/** The API error for a refusal; `ownAccount` says what to do instead when the target is the caller. */
function refusal(reason: UserRefusal, ownAccount = 'You cannot do this to your own account.'): ApiError {
  if (reason === 'own_account') return new ApiError(403, 'own_account', ownAccount);
  const [status, message] = REFUSALS[reason];
  return new ApiError(status, reason, message);
}

export function userRoutes(app: ApiApp, ctx: RecorderContext): void {
  app.get(
    '/api/v1/users',
    {
      config: { access: MANAGE_USERS },
      schema: {
        summary: 'Every user of this recorder',
        response: { 200: userListSchema },
      },
    },
    async () => ({ users: ctx.store.listUsers().map((u) => viewOf(ctx, u)) }),
  );

  app.post(
    '/api/v1/users',
    {
      config: { access: MANAGE_USERS },
      schema: {
        summary: 'Create a user with a one-time password, returned this once',
        body: newUserBody,
        response: {
          201: newUserSchema,
        },
      },
    },
    async (request, reply) => {
      const { username, role, permissions = NO_GRANTS } = request.body;
      const outcome = await createUser(ctx, { auth: requireAuth(request), sourceIp: request.ip }, { username, role, grants: withDenials(permissions) });
      if (!outcome.ok) throw changeRefusal(outcome);
      return reply.code(201).send({
        user: viewOf(ctx, outcome.user),
        oneTimePassword: outcome.oneTimePassword,
        oneTimePasswordExpiresAt: toIso(outcome.expiresAt),
      });
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { access: MANAGE_USERS }, schema: { summary: 'One user', params: userIdParams, response: { 200: userView } } },
    async (request) => {
      const user = ctx.store.getUser(Number(request.params.id));
      if (!user) throw refusal('not_found');
      return viewOf(ctx, user);
    },
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { access: MANAGE_USERS },
      schema: {
        summary: "Change a user's role, grants or denials; their live sessions follow at once",
        params: userIdParams,
        body: userChangeBody,
        response: { 200: userView },
      },
    },
    async (request) => {
      const outcome = updateUser(ctx, { auth: requireAuth(request), sourceIp: request.ip }, Number(request.params.id), {
        role: request.body.role,
        grants: request.body.permissions && withDenials(request.body.permissions),
      });
      if (!outcome.ok) throw changeRefusal(outcome);
      return viewOf(ctx, outcome.user);
    },
  );

  app.delete(
    '/api/v1/users/:id',
    { config: { access: MANAGE_USERS }, schema: { summary: 'Delete a user; their sessions end', params: userIdParams } },
    async (request, reply) => {
      const outcome = deleteUser(ctx, { auth: requireAuth(request), sourceIp: request.ip }, Number(request.params.id));
      if (!outcome.ok) throw refusal(outcome.reason, 'You cannot delete your own account. Another admin can.');
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/password-reset',
    {
      config: { access: MANAGE_USERS },
      schema: {
        summary: "Give another user a new one-time password, returned this once; all the user's sessions end",
        params: userIdParams,
        response: {
          200: passwordResetSchema,
        },
      },
    },
    async (request) => {
      const outcome = await resetPassword(ctx, { auth: requireAuth(request), sourceIp: request.ip }, Number(request.params.id));
      if (!outcome.ok) throw refusal(outcome.reason, 'Change your own password with your current one (Change password).');
      return {
        revokedSessions: outcome.revokedSessions,
        oneTimePassword: outcome.oneTimePassword,
        oneTimePasswordExpiresAt: toIso(outcome.expiresAt),
      };
    },
  );
}
