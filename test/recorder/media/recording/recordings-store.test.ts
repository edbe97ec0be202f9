import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRecordingsStore, type NewRecording, type RecordingsStore } from '../../../../src/recorder/db/recordings-store.js';
import { openDatabase } from '../../../../src/recorder/db/store.js';
import { cameraTimeline } from '../../../../src/recorder/media/recording/timeline.js';

const recording = (cameraId: number, startMs: number, endMs: number): NewRecording => ({
  cameraId,
  startMs,
  endMs,
  duration90k: (endMs - startMs) * 90,
  path: `${cameraId}/1970-01-01/${startMs}.mp4`,
  bytes: 1000,
  frames: 25,
  codec: 'avc1.64001f',
  keyframes: [{ time90k: 0, offset: 700 }],
  open: false,
});

describe('recordings index', () => {
  let dir: string;
  let db: Database;
  let store: RecordingsStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-index-'));
    db = openDatabase(join(dir, 'vigil.db'));
    store = createRecordingsStore(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a row and gives it back as written, keyframe positions included', () => {
    const id = store.insert(recording(1, 0, 60_000));
    expect(store.get(id)).toEqual({ id, ...recording(1, 0, 60_000) });
    expect(store.findByPath('1/1970-01-01/0.mp4')?.id).toBe(id);
    store.update(id, { endMs: 61_000, duration90k: 61_000 * 90, bytes: 2000, frames: 50, keyframes: [], open: true });
    expect(store.get(id)).toMatchObject({ endMs: 61_000, bytes: 2000, frames: 50, keyframes: [], open: true });
  });

  it('lists a camera’s segments overlapping a range, oldest first, and only that camera’s', () => {
    const a = store.insert(recording(1, 60_000, 120_000));
    const b = store.insert(recording(1, 0, 60_000));
    store.insert(recording(2, 0, 60_000));
    expect(store.listForCamera(1, 30_000, 90_000).map((r) => r.id)).toEqual([b, a]);
    expect(store.listForCamera(1, 60_000, 61_000).map((r) => r.id)).toEqual([a]); // ranges are half-open
    expect(store.listForCamera(1, 120_000, 130_000)).toEqual([]);
    expect(store.listAll()).toHaveLength(3);
    store.delete(b);
    expect(store.listForCamera(1, 0, 200_000).map((r) => r.id)).toEqual([a]);
  });

  it('gives a camera’s timeline as merged ranges with the gaps between them', () => {
    store.insert(recording(1, 0, 60_000));
    store.insert(recording(1, 60_000, 120_000));
    store.insert(recording(1, 180_000, 240_000));
    store.insert(recording(2, 120_000, 180_000));
    expect(cameraTimeline(store, 1, 0, 300_000)).toEqual([
      { startMs: 0, endMs: 120_000 },
      { startMs: 180_000, endMs: 240_000 },
    ]);
  });

  it('refuses two rows for one file', () => {
    store.insert(recording(1, 0, 60_000));
    expect(() => store.insert(recording(1, 0, 60_000))).toThrow(/UNIQUE/);
  });
});
