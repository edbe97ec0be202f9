import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../../../src/shared/clock.js';
import { createRecordingsStore, type RecordingsStore } from '../../../../src/recorder/db/recordings-store.js';
import { openDatabase } from '../../../../src/recorder/db/store.js';
import { dataPaths } from '../../../../src/recorder/device/data-dir.js';
import { SegmentWriter, type SegmentWriterOptions } from '../../../../src/recorder/media/recording/segment-writer.js';
import type { AccessUnit, ParameterSets } from '../../../../src/media/types.js';

/** A data directory with a real database, a recordings store and a manual clock. */
export function recordingFixture() {
  const root = mkdtempSync(join(tmpdir(), 'vigil-rec-'));
  const paths = dataPaths(root);
  const db = openDatabase(paths.database);
  const store: RecordingsStore = createRecordingsStore(db);
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  return {
    root,
    paths,
    db,
    store,
    clock,
    writer(options: Partial<SegmentWriterOptions> = {}) {
      return new SegmentWriter({ cameraId: 7, footageDir: paths.footage, store, clock, ...options });
    },
    /** Feeds frames in order, moving the clock to each frame's arrival. */
    async feed(writer: SegmentWriter, frames: readonly AccessUnit[], params: ParameterSets) {
      for (const frame of frames) {
        clock.advance((frame.receivedAt - clock.now()) / 1000);
        await writer.push(frame, params);
      }
    },
    file: (path: string) => join(paths.footage, path),
    cleanup() {
      if (db.open) db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
