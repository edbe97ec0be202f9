import { statfs } from 'node:fs/promises';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import { startTimedPasses, type TimedPasses } from '../../../shared/timed-passes.js';
import type { Timers } from '../../../shared/timers.js';
import type { AuditLog } from '../../audit/audit-log.js';
import { SYSTEM_ACTOR } from '../../audit/system-actor.js';
import type { RecordingsStore } from '../../db/recordings-store.js';
import { applyRetention } from './retention.js';
import { type DiskSpace, footageLimitBytes } from './retention-settings.js';

export const RETENTION_INTERVAL_MS = 60_000;

export interface RetentionSettings {
  /** Footage older than this many days goes; none by default (keep what fits). */
  maxAgeDays?: number;
  /** At most this many bytes of footage; the disk's own budget applies too, whichever is smaller. */
  quotaBytes?: number;
}

export interface RetentionDeps {
  footageDir: string;
  store: RecordingsStore;
  clock: Clock;
  timers: Timers;
  logger: Logger;
  audit: AuditLog;
  /** The footage filesystem's free and total bytes: statfsDiskSpace, or a disk a test makes up. */
  diskSpace: () => Promise<DiskSpace>;
}

/** The retention passes: `settled` resolves when the one under way has ended, `stop` ends them. */
export type RetentionSchedule = TimedPasses;

/** statfs of the data directory: the footage directory may not exist before the first segment. */
export function statfsDiskSpace(dir: string): () => Promise<DiskSpace> {
  return async () => {
    const stats = await statfs(dir);
    return { freeBytes: stats.bavail * stats.bsize, totalBytes: stats.blocks * stats.bsize };
  };
}

/**
 * One retention pass now, then one a minute, each after the previous one has finished. A pass that
 * deletes is logged and audited (a recording deleted is evidence gone; the log says by whom: the
 * system, under which limits).
 */
export function startRetention(settings: RetentionSettings, deps: RetentionDeps): RetentionSchedule {
  const pass = async () => {
    const quotaBytes = footageLimitBytes(settings.quotaBytes, deps.store.totalBytes(), await deps.diskSpace());
    const result = await applyRetention(deps.footageDir, deps.store, { maxAgeDays: settings.maxAgeDays, quotaBytes }, deps.clock.now());
    if (result.deleted === 0) return;
    const oldestKept = deps.store.listAll()[0];
    const details = {
      segments: result.deleted,
      bytes: result.bytes,
      oldestKept: oldestKept ? new Date(oldestKept.startMs).toISOString() : null,
      maxAgeDays: settings.maxAgeDays ?? null,
      quotaBytes,
    };
    deps.logger.info({ event: 'retention_deleted', ...details }, 'retention deleted the oldest recordings');
    deps.audit.append({ type: 'recordings.deleted_by_retention', outcome: 'success', actor: SYSTEM_ACTOR, details });
  };

  return startTimedPasses(
    () =>
      pass()
        .catch((err: unknown) => deps.logger.error({ err }, 'a retention pass failed: footage may grow past its limits'))
        .then(() => RETENTION_INTERVAL_MS),
    deps.timers,
  );
}
