import type { Database } from 'better-sqlite3';

/** What the recorder keeps to change a camera's own password, beside the camera row (see migration 17). */
export interface CameraPasswordState {
  cameraId: number;
  /** A new password whose fate is not known yet, sealed like the current one; null when none. */
  pendingSealed: Buffer | null;
  pendingSince: number | null;
  /** When the current password was set by the recorder: a rotation, or the camera's creation. */
  changedAt: number;
}

/**
 * The two phases of a password change, each one write: `beginChange` keeps the new password as
 * pending before the camera is asked; `commit` makes it current; `abandon` forgets it. A camera
 * that holds a password the recorder does not is impossible between them: one of the two kept
 * passwords is always the camera's.
 */
export interface CameraPasswordStore {
  get(cameraId: number): CameraPasswordState | undefined;
  /** Keeps the new password as pending; false when the camera is gone or a change is already pending. */
  beginChange(cameraId: number, pendingSealed: Buffer, now: number): boolean;
  /** The pending password becomes current; false when there was none (another pass decided first). */
  commit(cameraId: number, now: number): boolean;
  /** The current password stays; the pending one is forgotten. */
  abandon(cameraId: number): void;
  /** Cameras with a change whose fate is not known yet. */
  listPending(): CameraPasswordState[];
  list(): CameraPasswordState[];
  /** The rotation schedule in days; null when off. */
  scheduleDays(): number | null;
  setScheduleDays(days: number | null, now: number): void;
}

interface Row {
  id: number;
  password_pending_sealed: Buffer | null;
  password_pending_since: number | null;
  password_changed_at: number | null;
  created_at: number;
}

const toState = (r: Row): CameraPasswordState => ({
  cameraId: r.id,
  pendingSealed: r.password_pending_sealed,
  pendingSince: r.password_pending_since,
  changedAt: r.password_changed_at ?? r.created_at,
});

const COLUMNS = 'id, password_pending_sealed, password_pending_since, password_changed_at, created_at';

export function createCameraPasswordStore(db: Database): CameraPasswordStore {
  const q = {
    get: db.prepare<[number], Row>(`SELECT ${COLUMNS} FROM cameras WHERE id = ?`),
    list: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM cameras ORDER BY id`),
    listPending: db.prepare<[], Row>(`SELECT ${COLUMNS} FROM cameras WHERE password_pending_sealed IS NOT NULL ORDER BY id`),
    begin: db.prepare(
      'UPDATE cameras SET password_pending_sealed = ?, password_pending_since = ? WHERE id = ? AND password_pending_sealed IS NULL',
    ),
    // updated_at moves too: the camera list's readers see that how to reach the camera changed.
    commit: db.prepare(
      `UPDATE cameras SET password_sealed = password_pending_sealed, password_pending_sealed = NULL, password_pending_since = NULL,
         password_changed_at = @now, updated_at = @now WHERE id = @id AND password_pending_sealed IS NOT NULL`,
    ),
    abandon: db.prepare('UPDATE cameras SET password_pending_sealed = NULL, password_pending_since = NULL WHERE id = ?'),
    schedule: db.prepare<[], { every_days: number | null }>('SELECT every_days FROM camera_password_schedule WHERE id = 1'),
    setSchedule: db.prepare(
      `INSERT INTO camera_password_schedule (id, every_days, updated_at) VALUES (1, ?, ?)
       ON CONFLICT (id) DO UPDATE SET every_days = excluded.every_days, updated_at = excluded.updated_at`,
    ),
  };
  return {
    get(cameraId) {
      const row = q.get.get(cameraId);
      return row && toState(row);
    },
    beginChange: (cameraId, pendingSealed, now) => q.begin.run(pendingSealed, now, cameraId).changes === 1,
    commit: (cameraId, now) => q.commit.run({ id: cameraId, now }).changes === 1,
    abandon: (cameraId) => void q.abandon.run(cameraId),
    listPending: () => q.listPending.all().map(toState),
    list: () => q.list.all().map(toState),
    scheduleDays: () => q.schedule.get()?.every_days ?? null,
    setScheduleDays: (days, now) => void q.setSchedule.run(days, now),
  };
}
