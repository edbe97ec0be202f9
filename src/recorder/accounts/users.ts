import type { Clock } from '../../shared/clock.js';
import type { PasswordHasher } from '../../identity/passwords/hash.js';
import type { AuditEvent, AuditLog } from '../audit/audit-log.js';
import type { CameraStore } from '../db/camera-store.js';
import type { RecorderStore, UserRecord } from '../db/store.js';
import { denialProblem, describeDenialProblem } from './denials.js';
import { generateOneTimePassword, ONE_TIME_PASSWORD_LIFETIME_SECONDS } from '../../identity/passwords/one-time-password.js';
import { can, DEVICE, type Grants, type Role, type Subject } from './permissions.js';
import type { Authenticated } from './sessions.js';

/** What managing users uses: the accounts, the cameras a denial may name, hashing, audit, time. */
export interface UserAdmin {
  store: RecorderStore;
  cameras: Pick<CameraStore, 'get'>;
  hasher: PasswordHasher;
  audit: Pick<AuditLog, 'append'>;
  clock: Clock;
}

/** What the permission check needs of a user, read fresh: a role, grant or denial change counts on the next request. */
export function permissionSubject(ctx: { store: Pick<RecorderStore, 'getGrants'> }, user: UserRecord): Subject {
  return { role: user.role, grants: ctx.store.getGrants(user.id) };
}

export type UserRefusal = 'not_found' | 'forbidden' | 'last_admin' | 'own_account' | 'username_taken';
type Refused = { ok: false; reason: UserRefusal };
/** Grants the recorder will not store; `message` says why, for the admin. */
export type InvalidGrants = { ok: false; reason: 'invalid_denial'; message: string };

export interface IssuedPassword {
  oneTimePassword: string;
  expiresAt: number;
}

interface Actor {
  auth: Authenticated;
  sourceIp: string;
}

/**
 * The access hook checked the actor before the handler ran, but requests interleave: inside the
 * transaction we check again that the actor still exists and may manage users, so a demoted
 * admin's request in flight cannot finish.
 */
function actorMayManageUsers(ctx: UserAdmin, actor: Actor): boolean {
  const current = ctx.store.getUser(actor.auth.user.id);
  return current !== undefined && can(permissionSubject(ctx, current), 'manage_users', DEVICE);
}

function audit(ctx: UserAdmin, actor: Actor, target: UserRecord, event: Pick<AuditEvent, 'type' | 'details'>): void {
  ctx.audit.append({
    ...event,
    outcome: 'success',
    actor: { id: actor.auth.user.id, username: actor.auth.user.username },
    sourceIp: actor.sourceIp,
    target: `user:${target.id}`,
  });
}

async function newOneTimePassword(ctx: UserAdmin): Promise<IssuedPassword & { hash: string }> {
  const oneTimePassword = generateOneTimePassword();
  return {
    oneTimePassword,
    hash: await ctx.hasher.hash(oneTimePassword),
    expiresAt: ctx.clock.now() + ONE_TIME_PASSWORD_LIFETIME_SECONDS * 1000,
  };
}

/** Grants as one short, stable string for the audit log, e.g. `device:settings camera:*:ptz camera:3:-live` (a denial). */
export function describeGrants(grants: Grants): string {
  const device = grants.device.map((a) => `device:${a}`);
  const cameras = Object.entries(grants.cameras).flatMap(([id, actions]) => actions.map((a) => `camera:${id}:${a}`));
  const denied = Object.entries(grants.denied).flatMap(([id, actions]) => actions.map((a) => `camera:${id}:-${a}`));
  return [...device, ...cameras, ...denied].sort().join(' ');
}

/** Checked inside the writing transaction: a camera removed meanwhile is not denied. */
function invalidDenials(ctx: UserAdmin, grants: Grants): InvalidGrants | undefined {
  const problem = denialProblem(grants, (id) => ctx.cameras.get(id) !== undefined);
  return problem && { ok: false, reason: 'invalid_denial', message: describeDenialProblem(problem) };
}

export async function createUser(
  ctx: UserAdmin,
  actor: Actor,
  input: { username: string; role: Role; grants: Grants },
): Promise<({ ok: true; user: UserRecord } & IssuedPassword) | Refused | InvalidGrants> {
  const issued = await newOneTimePassword(ctx);
  return ctx.store.transaction(() => {
    if (!actorMayManageUsers(ctx, actor)) return { ok: false, reason: 'forbidden' } as const;
    if (ctx.store.findUserByUsername(input.username)) return { ok: false, reason: 'username_taken' } as const;
    const invalid = invalidDenials(ctx, input.grants);
    if (invalid) return invalid;
    const user = ctx.store.createUser(
      { username: input.username, role: input.role, passwordHash: issued.hash, oneTimePasswordExpiresAt: issued.expiresAt },
      ctx.clock.now(),
    );
    ctx.store.replaceGrants(user.id, input.grants);
    audit(ctx, actor, user, {
      type: 'user.created',
      details: { username: user.username, role: user.role, permissions: describeGrants(input.grants) },
    });
    return { ok: true, user, oneTimePassword: issued.oneTimePassword, expiresAt: issued.expiresAt } as const;
  });
}

export function updateUser(
  ctx: UserAdmin,
  actor: Actor,
  userId: number,
  change: { role?: Role; grants?: Grants },
): { ok: true; user: UserRecord } | Refused | InvalidGrants {
  return ctx.store.transaction(() => {
    if (!actorMayManageUsers(ctx, actor)) return { ok: false, reason: 'forbidden' } as const;
    const target = ctx.store.getUser(userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    const invalid = change.grants && invalidDenials(ctx, change.grants);
    if (invalid) return invalid;
    const details: Record<string, string> = {};
    if (change.role !== undefined && change.role !== target.role) {
      // There is always an admin: checked here, in the same transaction as the write, so two
      // concurrent demotions cannot both see "one other admin left".
      if (target.role === 'admin' && ctx.store.countAdmins() <= 1) return { ok: false, reason: 'last_admin' } as const;
      ctx.store.setRole(target.id, change.role);
      details.roleFrom = target.role;
      details.roleTo = change.role;
    }
    if (change.grants !== undefined) {
      const before = describeGrants(ctx.store.getGrants(target.id));
      const after = describeGrants(change.grants);
      ctx.store.replaceGrants(target.id, change.grants);
      if (after !== before) (details.permissionsFrom = before), (details.permissionsTo = after);
    }
    if (Object.keys(details).length > 0) audit(ctx, actor, target, { type: 'user.updated', details });
    return { ok: true, user: ctx.store.getUser(target.id)! } as const;
  });
}

export function deleteUser(ctx: UserAdmin, actor: Actor, userId: number): { ok: true } | Refused {
  // Deleting yourself would log you out mid-action; another admin can do it.
  if (userId === actor.auth.user.id) return { ok: false, reason: 'own_account' };
  return ctx.store.transaction(() => {
    if (!actorMayManageUsers(ctx, actor)) return { ok: false, reason: 'forbidden' } as const;
    const target = ctx.store.getUser(userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    if (target.role === 'admin' && ctx.store.countAdmins() <= 1) return { ok: false, reason: 'last_admin' } as const;
    const endedSessions = ctx.store.listSessions(target.id).length;
    ctx.store.deleteUser(target.id); // sessions and grants go with it (foreign keys cascade)
    audit(ctx, actor, target, { type: 'user.deleted', details: { username: target.username, role: target.role, endedSessions } });
    return { ok: true } as const;
  });
}

/** An admin gives another user a new one-time password; every session of that user ends with it. */
export async function resetPassword(
  ctx: UserAdmin,
  actor: Actor,
  userId: number,
): Promise<({ ok: true; revokedSessions: number } & IssuedPassword) | Refused> {
  // Your own password you change with the current one: an admin must not skip that proof.
  if (userId === actor.auth.user.id) return { ok: false, reason: 'own_account' };
  if (!ctx.store.getUser(userId)) return { ok: false, reason: 'not_found' }; // before spending a hash on it
  const issued = await newOneTimePassword(ctx);
  return ctx.store.transaction(() => {
    if (!actorMayManageUsers(ctx, actor)) return { ok: false, reason: 'forbidden' } as const;
    const target = ctx.store.getUser(userId);
    if (!target) return { ok: false, reason: 'not_found' } as const;
    const revokedSessions = ctx.store.setOneTimePassword(target.id, issued.hash, issued.expiresAt, ctx.clock.now());
    audit(ctx, actor, target, { type: 'password.reset', details: { revokedSessions } });
    return { ok: true, revokedSessions, oneTimePassword: issued.oneTimePassword, expiresAt: issued.expiresAt } as const;
  });
}
