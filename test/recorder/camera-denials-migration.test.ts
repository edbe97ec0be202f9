// Schema 13 (per-camera denials) on a database written by schema 12: every additive grant keeps
// giving exactly what it gave, and the new rules hold on the upgraded rows.
import Database, { type Database as DatabaseHandle } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cameraPermissions, effectivePermissions, type Grants, type Role } from '../../src/recorder/accounts/permissions.js';
import { migrate, SCHEMA_VERSION } from '../../src/recorder/db/migrate.js';
import { createRecorderStore } from '../../src/recorder/db/store.js';

const BEFORE_DENIALS = 12;

let db: DatabaseHandle;
beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, BEFORE_DENIALS);
});
afterEach(() => db.close());

/** Rows as schema 12 wrote them: a user with a role and additive grants. */
function oldUser(id: number, role: Role, grants: [resource: string, action: string][]): void {
  db.prepare('INSERT INTO users (id, username, role, password_hash, password_changed_at, created_at) VALUES (?, ?, ?, ?, 0, 0)').run(id, `user${id}`, role, 'hash');
  for (const [resource, action] of grants) db.prepare('INSERT INTO user_permissions (user_id, resource, action) VALUES (?, ?, ?)').run(id, resource, action);
}

function addCamera(name: string): number {
  return Number(db.prepare("INSERT INTO cameras (name, url, transport, enabled, created_at, updated_at) VALUES (?, 'rtsp://192.0.2.1/', 'tcp', 0, 0, 0)").run(name).lastInsertRowid);
}

describe('migration to schema 13 (camera denials)', () => {
  it('keeps every old grant an allow: the same grants back, and the same rights on the device and on every camera', () => {
    const one = String(addCamera('Front door'));
    const two = String(addCamera('Garage'));
    oldUser(1, 'admin', []);
    oldUser(2, 'viewer', [['device', 'maintenance'], ['camera:*', 'export'], [`camera:${one}`, 'ptz'], [`camera:${one}`, 'configure']]);
    oldUser(3, 'operator', [['device', 'settings'], [`camera:${two}`, 'configure'], ['camera:front-door', 'configure']]);

    migrate(db);

    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const store = createRecorderStore(db);
    expect(store.getGrants(1)).toEqual({ device: [], cameras: {}, denied: {} });
    expect(store.getGrants(2)).toEqual({ device: ['maintenance'], cameras: { '*': ['export'], [one]: ['configure', 'ptz'] }, denied: {} });
    expect(store.getGrants(3)).toEqual({ device: ['settings'], cameras: { [two]: ['configure'], 'front-door': ['configure'] }, denied: {} });

    // What each user may do, as schema 12 gave it: role defaults plus the grants, nothing taken away.
    const rights = (id: number, role: Role) => {
      const subject = { role, grants: store.getGrants(id) };
      return { device: effectivePermissions(subject).device, ...Object.fromEntries([one, two, 'front-door', '99'].map((c) => [c, cameraPermissions(subject, c)])) };
    };
    expect(rights(2, 'viewer')).toEqual({
      device: ['maintenance'],
      [one]: ['live', 'playback', 'export', 'ptz', 'configure'],
      [two]: ['live', 'playback', 'export'],
      'front-door': ['live', 'playback', 'export'],
      '99': ['live', 'playback', 'export'],
    });
    expect(rights(3, 'operator')).toEqual({
      device: ['settings'],
      [one]: ['live', 'playback', 'export', 'ptz'],
      [two]: ['live', 'playback', 'export', 'ptz', 'configure'],
      'front-door': ['live', 'playback', 'export', 'ptz', 'configure'],
      '99': ['live', 'playback', 'export', 'ptz'],
    });
  });

  it('stores a denial on one camera only, and drops a camera’s grants and denials when the camera is removed', () => {
    migrate(db);
    const store = createRecorderStore(db);
    const kept = String(addCamera('Front door'));
    const removed = addCamera('Garage');
    oldUser(2, 'viewer', []);
    const grants: Grants = { device: [], cameras: { '*': ['export'], [String(removed)]: ['ptz'] }, denied: { [kept]: ['live'], [String(removed)]: ['live', 'playback'] } };
    store.replaceGrants(2, grants);
    expect(store.getGrants(2)).toEqual(grants);

    const deny = db.prepare("INSERT INTO user_permissions (user_id, resource, action, effect) VALUES (2, ?, 'live', 'deny')");
    for (const resource of ['camera:*', 'device', 'camera:front-door']) expect(() => deny.run(resource)).toThrow(/CHECK constraint failed/);

    db.prepare('DELETE FROM cameras WHERE id = ?').run(removed);
    expect(store.getGrants(2)).toEqual({ device: [], cameras: { '*': ['export'] }, denied: { [kept]: ['live'] } });
    // The id is never given out again: a new camera starts with no one's grants or denials.
    expect(addCamera('New garage')).toBeGreaterThan(removed);
  });
});
