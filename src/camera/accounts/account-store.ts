import type { CameraDatabase } from '../device/camera-db.js';
import type { UserLevel } from './levels.js';

export interface CameraAccount {
  id: number;
  username: string;
  level: UserLevel;
  passwordHash: string;
  sealedPassword: Buffer;
}

/** A password as the camera keeps it: hashed, and sealed for the digests. */
export interface StoredPassword {
  passwordHash: string;
  sealedPassword: Buffer;
}

interface Row {
  id: number;
  username: string;
  level: UserLevel;
  password_hash: string;
  sealed_password: Buffer;
}

const fromRow = (row: Row): CameraAccount => ({
  id: row.id,
  username: row.username,
  level: row.level,
  passwordHash: row.password_hash,
  sealedPassword: row.sealed_password,
});

/** One change to the accounts, applied whole or not at all (ONVIF's CreateUsers, SetUser, DeleteUsers take lists). */
export type AccountChange =
  | { kind: 'create'; username: string; level: UserLevel; password: StoredPassword }
  | { kind: 'set'; username: string; level: UserLevel; password?: StoredPassword }
  | { kind: 'delete'; username: string };

export class AccountChangeRefused extends Error {
  constructor(readonly reason: 'exists' | 'not_found' | 'last_administrator') {
    super(reason);
  }
}

export interface AccountStore {
  list(): CameraAccount[];
  findByName(username: string): CameraAccount | undefined;
  findById(id: number): CameraAccount | undefined;
  /** Applies every change or none; throws AccountChangeRefused when one cannot be made, or when no Administrator would be left. */
  apply(changes: readonly AccountChange[], at: number): void;
  /** Creates the first Administrator and marks the camera active, once: false if it was active already. */
  activate(username: string, password: StoredPassword, at: number): boolean;
  /** Factory reset: every account goes and the camera is inactive again (the audit log stays). */
  deactivate(): void;
}

export function accountStore(db: CameraDatabase): AccountStore {
  const q = {
    list: db.prepare<[], Row>('SELECT * FROM accounts ORDER BY id'),
    byName: db.prepare<[string], Row>('SELECT * FROM accounts WHERE username = ?'),
    byId: db.prepare<[number], Row>('SELECT * FROM accounts WHERE id = ?'),
    insert: db.prepare(
      `INSERT INTO accounts (username, level, password_hash, sealed_password, created_at)
       VALUES (@username, @level, @passwordHash, @sealedPassword, @at)`,
    ),
    setLevel: db.prepare('UPDATE accounts SET level = @level WHERE username = @username'),
    setPassword: db.prepare('UPDATE accounts SET password_hash = @passwordHash, sealed_password = @sealedPassword WHERE username = @username'),
    delete: db.prepare<[string]>('DELETE FROM accounts WHERE username = ?'),
    administrators: db.prepare<[], { n: number }>("SELECT count(*) AS n FROM accounts WHERE level = 'Administrator'"),
    markActive: db.prepare<[number]>('UPDATE device SET activated_at = ? WHERE id = 1 AND activated_at IS NULL'),
    deleteAll: db.prepare('DELETE FROM accounts'),
    markInactive: db.prepare('UPDATE device SET activated_at = NULL WHERE id = 1'),
  };
  const applyChange = (change: AccountChange, at: number) => {
    const exists = q.byName.get(change.username) !== undefined;
    if (change.kind === 'create') {
      if (exists) throw new AccountChangeRefused('exists');
      q.insert.run({ username: change.username, level: change.level, ...change.password, at });
      return;
    }
    if (!exists) throw new AccountChangeRefused('not_found');
    if (change.kind === 'delete') q.delete.run(change.username);
    else {
      q.setLevel.run({ username: change.username, level: change.level });
      if (change.password) q.setPassword.run({ username: change.username, ...change.password });
    }
  };
  const apply = db.transaction((changes: readonly AccountChange[], at: number) => {
    for (const change of changes) applyChange(change, at);
    if (q.administrators.get()!.n === 0) throw new AccountChangeRefused('last_administrator');
  });
  const activate = db.transaction((username: string, password: StoredPassword, at: number) => {
    if (q.markActive.run(at).changes === 0) return false;
    q.insert.run({ username, level: 'Administrator', ...password, at });
    return true;
  });
  const deactivate = db.transaction(() => {
    q.deleteAll.run();
    q.markInactive.run();
  });
  return {
    list: () => q.list.all().map(fromRow),
    findByName: (username) => {
      const row = q.byName.get(username);
      return row && fromRow(row);
    },
    findById: (id) => {
      const row = q.byId.get(id);
      return row && fromRow(row);
    },
    apply: (changes, at) => apply(changes, at),
    activate: (username, password, at) => activate(username, password, at),
    deactivate: () => deactivate(),
  };
}
