import { rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Recording, RecordingsStore } from '../../db/recordings-store.js';

export interface RetentionPolicy {
  /** Segments that ended longer ago than this are deleted. */
  maxAgeDays?: number;
  /** Oldest segments are deleted until the footage takes at most this many bytes. */
  quotaBytes?: number;
}

export type RetainedSegment = Pick<Recording, 'id' | 'endMs' | 'bytes' | 'open'>;

const DAY_MS = 86_400_000;

/**
 * Which segments retention deletes, oldest first: those past the age limit, then the oldest
 * until the rest fits the quota. A segment still being written is never chosen. Pure.
 *
 * `segments` are every camera's, oldest first: the quota is the recorder's disk, shared.
 */
export function chooseSegmentsToDelete(segments: readonly RetainedSegment[], policy: RetentionPolicy, nowMs: number): number[] {
  const chosen: number[] = [];
  let total = segments.reduce((sum, s) => sum + s.bytes, 0);
  const oldestAllowedEnd = policy.maxAgeDays === undefined ? -Infinity : nowMs - policy.maxAgeDays * DAY_MS;
  for (const s of segments) {
    if (s.open) continue;
    const tooOld = s.endMs < oldestAllowedEnd;
    const overQuota = policy.quotaBytes !== undefined && total > policy.quotaBytes;
    if (!tooOld && !overQuota) continue;
    chosen.push(s.id);
    total -= s.bytes;
  }
  return chosen;
}

/**
 * Applies the policy. Each segment's index row goes first, then its file: a crash in between
 * leaves a file without a row, never a row without a file (which playback would offer and fail
 * to read). `check` rebuilds a row for such a file and the next pass deletes it again.
 */
export async function applyRetention(
  footageDir: string,
  store: RecordingsStore,
  policy: RetentionPolicy,
  nowMs: number,
): Promise<{ deleted: number; bytes: number }> {
  const segments = store.listAll();
  const byId = new Map(segments.map((s) => [s.id, s]));
  let bytes = 0;
  const ids = chooseSegmentsToDelete(segments, policy, nowMs);
  for (const id of ids) {
    const segment = byId.get(id)!;
    store.delete(id);
    const file = join(footageDir, segment.path);
    await rm(file, { force: true });
    await removeIfEmpty(dirname(file));
    bytes += segment.bytes;
  }
  return { deleted: ids.length, bytes };
}

/** Day directories go when their last segment does, so the footage tree does not fill with empty days. */
async function removeIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOENT') throw error;
  }
}
