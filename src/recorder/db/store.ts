import Database, { type Database as DatabaseHandle } from 'better-sqlite3';
import { migrate } from './migrate.js';

export type Role = 'admin' | 'operator' | 'viewer';

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
}

export interface SessionRecord {
  id: string;
  tokenHash: string;
  userId: number;
  createdAt: number;
  createdIp: string;
  userAgent: string;
  lastSeenAt: number;
  lastSeenIp: string;
  revokedAt: number | null;
  revokedReason: string | null;
}

export type RevocationReason = 'logout' | 'revoked_by_user' | 'password_changed' | 'expired';

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
  /** New password and revocation of every other session of the user, atomically; returns how many were revoked. */
  changePassword(userId: number, passwordHash: string, now: number, keepSessionId: string | null): number;

  createSession(session: SessionRecord): void;
  findSessionByTokenHash(tokenHash: string): SessionRecord | undefined;
  touchSession(id: string, now: number, ip: string): void;
  revokeSession(id: string, reason: RevocationReason, now: number): void;
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
  revoked_reason: string | null;
}

const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  role: r.role,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  createdAt: r.created_at,
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
    setPassword: db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ? WHERE id = ?'),
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
      q.setPassword.run(passwordHash, now, userId);
      return q.revokeOthers.run(now, 'password_changed', userId, keepSessionId).changes;
    },
  );

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
    revokeSession(id, reason, now) {
      q.revokeSession.run(now, reason, id);
    },
    listSessions(userId) {
      return q.listSessions.all(userId).map(toSession);
    },
    close() {
      db.close();
    },
  };
}
