import Database, { type Database as DatabaseHandle } from 'better-sqlite3';
import { type CameraAction, type Grants, type GrantableDeviceAction, type Role } from '../accounts/permissions.js';
import type { SessionStore, StoredSession } from '../../identity/sessions/session-store.js';
import { withAccountId, withUserId } from './account-id.js';
import type { AuditLog } from '../audit/audit-log.js';
import { migrate } from './migrate.js';

export type { Role } from '../accounts/permissions.js';

export interface DeviceRecord {
  serial: string;
  model: string;
  labelCodeHash: string;
  /** Key for the device's own MACs (CSRF tokens); never leaves the database. */
  serverSecret: Buffer;
  manufacturedAt: number;
  activatedAt: number | null;
}

export interface UserRecord {
  id: number;
  username: string;
  role: Role;
  passwordHash: string;
  passwordChangedAt: number;
  createdAt: number;
  /** Set while the password is a one-time password an admin issued: it must be changed, and it expires then. */
  oneTimePasswordExpiresAt: number | null;
}

/** A session as the recorder keeps it: the core's stored session, its owner named `userId` as in the tables. */
export type SessionRecord = Omit<StoredSession<RevocationReason>, 'accountId'> & { userId: number };

export type RevocationReason = 'logout' | 'revoked_by_user' | 'password_changed' | 'password_reset' | 'user_deleted' | 'expired';

/**
 * Everything the recorder keeps in its database. Nothing outside this module writes SQL, and
 * every change that must happen together (password + session revocation) is one method, one
 * transaction.
 */
export interface RecorderStore {
  /** Runs `fn` in one transaction (nested calls become savepoints): all of it happens, or none. */
  transaction<T>(fn: () => T): T;

  getDevice(): DeviceRecord | undefined;
  insertDevice(device: DeviceRecord): void;
  /** Creates the first admin and marks the device active; false if it already was active. */
  activate(admin: { username: string; passwordHash: string }, now: number): boolean;

  findUserByUsername(username: string): UserRecord | undefined;
  getUser(id: number): UserRecord | undefined;
  /** Same password, new hash parameters: no session is touched. */
  replacePasswordHash(userId: number, passwordHash: string): void;
  /**
   * New password chosen by the user (it replaces any one-time password) and revocation of every
   * other session of the user, atomically; returns how many were revoked.
   */
  changePassword(userId: number, passwordHash: string, now: number, keepSessionId: string | null): number;

  /** Users in id order. */
  listUsers(): UserRecord[];
  createUser(user: { username: string; role: Role; passwordHash: string; oneTimePasswordExpiresAt: number }, now: number): UserRecord;
  setRole(userId: number, role: Role): void;
  countAdmins(): number;
  /** The user's grants and per-camera denials (rows of user_permissions, allow and deny). */
  getGrants(userId: number): Grants;
  /** Replaces every grant and denial of the user, in one transaction. */
  replaceGrants(userId: number, grants: Grants): void;
  /** Deletes the user; their sessions and grants go with them. */
  deleteUser(userId: number): void;
  /** An admin-issued password that must be changed, and revocation of every session of the user; returns how many were revoked. */
  setOneTimePassword(userId: number, passwordHash: string, expiresAt: number, now: number): number;
  /** A password the owner chose through a recovery path, and revocation of every session of the user; returns how many were revoked. */
  setRecoveredPassword(userId: number, passwordHash: string, now: number): number;

  createSession(session: SessionRecord): void;
  findSessionByTokenHash(tokenHash: string): SessionRecord | undefined;
  touchSession(id: string, now: number, ip: string): void;
  /** Ends a live session; false if it had ended already. */
  revokeSession(id: string, reason: RevocationReason, now: number): boolean;
  /** Ends every live session of the user but `keepSessionId` (none when null); returns how many. */
  revokeUserSessions(userId: number, reason: RevocationReason, now: number, keepSessionId: string | null): number;
  /** Live (unrevoked) sessions of a user, newest first. */
  listSessions(userId: number): SessionRecord[];

  close(): void;
}

interface DeviceRow {
  serial: string;
  model: string;
  label_code_hash: string;
  server_secret: Buffer;
  manufactured_at: number;
  activated_at: number | null;
}
interface UserRow {
  id: number;
  username: string;
  role: Role;
  password_hash: string;
  password_changed_at: number;
  created_at: number;
  one_time_password_expires_at: number | null;
}
interface SessionRow {
  id: string;
  token_hash: string;
  user_id: number;
  created_at: number;
  created_ip: string;
  user_agent: string;
  last_seen_at: number;
  last_seen_ip: string;
  revoked_at: number | null;
  revoked_reason: RevocationReason | null;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
  oneTimePasswordExpiresAt: r.one_time_password_expires_at,
});

const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  tokenHash: r.token_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  createdIp: r.created_ip,
  userAgent: r.user_agent,
  lastSeenAt: r.last_seen_at,
  lastSeenIp: r.last_seen_ip,
  revokedAt: r.revoked_at,
  revokedReason: r.revoked_reason,
});

/** Opens (creating if needed) the recorder database and brings its schema up to date. */
export function openDatabase(path: string): DatabaseHandle {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function openSqliteStore(path: string): RecorderStore {
  return createRecorderStore(openDatabase(path));
}

export function createRecorderStore(db: DatabaseHandle): RecorderStore {

  const q = {
    device: db.prepare<[], DeviceRow>('SELECT * FROM device WHERE id = 1'),
    insertDevice: db.prepare(
      `INSERT INTO device (id, serial, model, label_code_hash, server_secret, manufactured_at, activated_at)
       VALUES (1, @serial, @model, @labelCodeHash, @serverSecret, @manufacturedAt, @activatedAt)`,
    ),
    markActivated: db.prepare('UPDATE device SET activated_at = ? WHERE id = 1 AND activated_at IS NULL'),
    insertUser: db.prepare(
      `INSERT INTO users (username, role, password_hash, password_changed_at, created_at)
       VALUES (@username, @role, @passwordHash, @now, @now)`,
    ),
    userByName: db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?'),
    userById: db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?'),
    setHash: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
    setPassword: db.prepare(
      'UPDATE users SET password_hash = ?, password_changed_at = ?, one_time_password_expires_at = ? WHERE id = ?',
    ),
    listUsers: db.prepare<[], UserRow>('SELECT * FROM users ORDER BY id'),
    createUser: db.prepare(
      `INSERT INTO users (username, role, password_hash, password_changed_at, created_at, one_time_password_expires_at)
       VALUES (@username, @role, @passwordHash, @now, @now, @oneTimePasswordExpiresAt)`,
    ),
    setRole: db.prepare('UPDATE users SET role = ? WHERE id = ?'),
    countAdmins: db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin'"),
    grants: db.prepare<[number], { resource: string; action: string; effect: 'allow' | 'deny' }>(
      'SELECT resource, action, effect FROM user_permissions WHERE user_id = ? ORDER BY resource, action',
    ),
    clearGrants: db.prepare('DELETE FROM user_permissions WHERE user_id = ?'),
    insertGrant: db.prepare<[number, string, string, 'allow' | 'deny']>(
      'INSERT OR IGNORE INTO user_permissions (user_id, resource, action, effect) VALUES (?, ?, ?, ?)',
    ),
    deleteUser: db.prepare('DELETE FROM users WHERE id = ?'),
    revokeAll: db.prepare('UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL'),
    insertSession: db.prepare(
      `INSERT INTO sessions (id, token_hash, user_id, created_at, created_ip, user_agent, last_seen_at,
                             last_seen_ip, revoked_at, revoked_reason)
       VALUES (@id, @tokenHash, @userId, @createdAt, @createdIp, @userAgent, @lastSeenAt, @lastSeenIp,
               @revokedAt, @revokedReason)`,
    ),
    sessionByToken: db.prepare<[string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ?'),
    touchSession: db.prepare('UPDATE sessions SET last_seen_at = ?, last_seen_ip = ? WHERE id = ?'),
    revokeSession: db.prepare(
      'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
    ),
    revokeOthers: db.prepare(
      `UPDATE sessions SET revoked_at = ?, revoked_reason = ?
       WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?`,
    ),
    listSessions: db.prepare<[number], SessionRow>(
      'SELECT * FROM sessions WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id',
    ),
  };

  const activate = db.transaction((admin: { username: string; passwordHash: string }, now: number) => {
    if (q.markActivated.run(now).changes === 0) return false;
    q.insertUser.run({ username: admin.username, role: 'admin', passwordHash: admin.passwordHash, now });
    return true;
  });

  const changePassword = db.transaction(
    (userId: number, passwordHash: string, now: number, keepSessionId: string | null) => {
      q.setPassword.run(passwordHash, now, null, userId);
      return q.revokeOthers.run(now, 'password_changed', userId, keepSessionId).changes;
    },
  );

  const setOneTimePassword = db.transaction((userId: number, passwordHash: string, expiresAt: number, now: number) => {
    q.setPassword.run(passwordHash, now, expiresAt, userId);
    return q.revokeAll.run(now, 'password_reset', userId).changes;
  });

  const setRecoveredPassword = db.transaction((userId: number, passwordHash: string, now: number) => {
    q.setPassword.run(passwordHash, now, null, userId);
    return q.revokeAll.run(now, 'password_reset', userId).changes;
  });

  const replaceGrants = db.transaction((userId: number, grants: Grants) => {
    q.clearGrants.run(userId);
    for (const action of grants.device) q.insertGrant.run(userId, 'device', action, 'allow');
    for (const [cameraId, actions] of Object.entries(grants.cameras)) {
      for (const action of actions) q.insertGrant.run(userId, `camera:${cameraId}`, action, 'allow');
    }
    for (const [cameraId, actions] of Object.entries(grants.denied)) {
      for (const action of actions) q.insertGrant.run(userId, `camera:${cameraId}`, action, 'deny');
    }
  });

  return {
    transaction: <T>(fn: () => T): T => db.transaction(fn)(),
    getDevice() {
      const r = q.device.get();
      return r && {
        serial: r.serial,
        model: r.model,
        labelCodeHash: r.label_code_hash,
        serverSecret: r.server_secret,
        manufacturedAt: r.manufactured_at,
        activatedAt: r.activated_at,
      };
    },
    insertDevice(device) {
      q.insertDevice.run(device);
    },
    activate: (admin, now) => activate(admin, now),
    findUserByUsername(username) {
      const r = q.userByName.get(username);
      return r && toUser(r);
    },
    getUser(id) {
      const r = q.userById.get(id);
      return r && toUser(r);
    },
    replacePasswordHash(userId, passwordHash) {
      q.setHash.run(passwordHash, userId);
    },
    changePassword: (userId, passwordHash, now, keepSessionId) =>
      changePassword(userId, passwordHash, now, keepSessionId),
    listUsers() {
      return q.listUsers.all().map(toUser);
    },
    createUser(user, now) {
      const id = Number(q.createUser.run({ ...user, now }).lastInsertRowid);
      return toUser(q.userById.get(id)!);
    },
    setRole(userId, role) {
      q.setRole.run(role, userId);
    },
    countAdmins: () => q.countAdmins.get()!.n,
    getGrants(userId) {
      const device: GrantableDeviceAction[] = [];
      // Maps, not object literals: a camera id such as `__proto__` must stay an ordinary key.
      const perCamera = { allow: new Map<string, CameraAction[]>(), deny: new Map<string, CameraAction[]>() };
      for (const { resource, action, effect } of q.grants.all(userId)) {
        if (resource === 'device') device.push(action as GrantableDeviceAction);
        else if (resource.startsWith('camera:')) {
          const cameraId = resource.slice('camera:'.length);
          const actions = perCamera[effect];
          actions.set(cameraId, [...(actions.get(cameraId) ?? []), action as CameraAction]);
        }
      }
      return { device, cameras: Object.fromEntries(perCamera.allow), denied: Object.fromEntries(perCamera.deny) };
    },
    replaceGrants: (userId, grants) => replaceGrants(userId, grants),
    deleteUser(userId) {
      q.deleteUser.run(userId);
    },
    setOneTimePassword: (userId, passwordHash, expiresAt, now) => setOneTimePassword(userId, passwordHash, expiresAt, now),
    setRecoveredPassword: (userId, passwordHash, now) => setRecoveredPassword(userId, passwordHash, now),
    createSession(session) {
      q.insertSession.run(session);
    },
    findSessionByTokenHash(tokenHash) {
      const r = q.sessionByToken.get(tokenHash);
      return r && toSession(r);
    },
    touchSession(id, now, ip) {
      q.touchSession.run(now, ip, id);
    },
    revokeSession: (id, reason, now) => q.revokeSession.run(now, reason, id).changes === 1,
    revokeUserSessions: (userId, reason, now, keepSessionId) => q.revokeOthers.run(now, reason, userId, keepSessionId).changes,
    listSessions(userId) {
      return q.listSessions.all(userId).map(toSession);
    },
    close() {
      db.close();
    },
  };
}

/**
 * The sessions as the security core's port; each method is one statement, or one transaction with
 * the audit entries it appends (`audit` links each into the chain inside it).
 */
export function sessionPort(
  store: Pick<RecorderStore, 'transaction' | 'createSession' | 'findSessionByTokenHash' | 'touchSession' | 'revokeSession' | 'revokeUserSessions' | 'listSessions'>,
  audit: Pick<AuditLog, 'append'>,
): SessionStore<RevocationReason> {
  return {
    create: async (session, events = []) =>
      store.transaction(() => {
        store.createSession(withUserId(session));
        for (const event of events) audit.append(event);
      }),
    findByTokenHash: async (tokenHash) => {
      const found = store.findSessionByTokenHash(tokenHash);
      return found && withAccountId(found);
    },
    touch: async (id, now, ip) => store.touchSession(id, now, ip),
    revoke: async (id, reason, now, events = []) =>
      store.transaction(() => {
        const ended = store.revokeSession(id, reason, now);
        if (ended) for (const event of events) audit.append(event);
        return ended;
      }),
    revokeAllOfAccount: async (accountId, reason, now, exceptId) => store.revokeUserSessions(accountId, reason, now, exceptId),
    listLive: async (accountId) => store.listSessions(accountId).map(withAccountId),
  };
}
