import type { CameraDayBytes } from '../../db/recordings-store.js';

const DAY_MS = 86_400_000;

export interface CameraUse {
  cameraId: number;
  /** null: a camera removed since, whose footage stays until retention deletes it. */
  name: string | null;
  footageBytes: number;
  days: { date: string; bytes: number }[];
}

/**
 * The index's bytes per camera and day as the storage page draws them: one entry per camera, the
 * biggest first, its days oldest first as calendar dates. Pure.
 */
export function storageHistory(rows: readonly CameraDayBytes[], names: ReadonlyMap<number, string>): CameraUse[] {
  const byCamera = new Map<number, CameraUse>();
  for (const row of rows) {
    let use = byCamera.get(row.cameraId);
    if (!use) {
      use = { cameraId: row.cameraId, name: names.get(row.cameraId) ?? null, footageBytes: 0, days: [] };
      byCamera.set(row.cameraId, use);
    }
    use.footageBytes += row.bytes;
    // The day number already carries the offset, so the UTC date of its midnight is the local date.
    use.days.push({ date: new Date(row.day * DAY_MS).toISOString().slice(0, 10), bytes: row.bytes });
  }
  return [...byCamera.values()].sort((a, b) => b.footageBytes - a.footageBytes || a.cameraId - b.cameraId);
}
