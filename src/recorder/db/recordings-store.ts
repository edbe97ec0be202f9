import type { Database } from 'better-sqlite3';

/** A fragment that starts with a keyframe: where playback and export can begin. */
export interface KeyframePosition {
  /** From the segment's start, on the 90 kHz clock. */
  time90k: number;
  /** Byte offset of the fragment (its moof) in the file. */
  offset: number;
}

/** What the index knows of one segment file (see migration 0012). */
export interface Recording {
  id: number;
  cameraId: number;
  startMs: number;
  endMs: number;
  duration90k: number;
  /** Relative to the footage directory. */
  path: string;
  bytes: number;
  frames: number;
  codec: string;
  keyframes: KeyframePosition[];
  open: boolean;
}

export type NewRecording = Omit<Recording, 'id'>;
/** What changes as a writer appends fragments. */
export type RecordingProgress = Pick<Recording, 'endMs' | 'duration90k' | 'bytes' | 'frames' | 'keyframes' | 'open'>;

/** The recordings index. Nothing else writes SQL about recordings. */
export interface RecordingsStore {
  insert(recording: NewRecording): number;
  update(id: number, progress: RecordingProgress): void;
  get(id: number): Recording | undefined;
  findByPath(path: string): Recording | undefined;
  /** A camera's segments that overlap [fromMs, toMs), oldest first. */
  listForCamera(cameraId: number, fromMs: number, toMs: number): Recording[];
  /** Every segment of every camera, oldest first: for retention and check. */
  listAll(): Recording[];
  /** What all the footage takes, in bytes. */
  totalBytes(): number;
  /**
   * What the footage takes per camera and per day it was recorded (by each segment's start), the
   * days counted from midnight at `utcOffsetMinutes`: the storage page's chart of use over time.
   */
  bytesPerCameraDay(utcOffsetMinutes: number): CameraDayBytes[];
  delete(id: number): void;
}

export interface CameraDayBytes {
  cameraId: number;
  /** Days since 1970-01-01 at the offset asked for. */
  day: number;
  bytes: number;
}

interface Row {
  id: number;
  camera_id: number;
  start_ms: number;
  end_ms: number;
  duration_90k: number;
  path: string;
  bytes: number;
  frames: number;
  codec: string;
  keyframes: string;
  open: number;
}

const fromRow = (r: Row): Recording => ({
  id: r.id,
  cameraId: r.camera_id,
  startMs: r.start_ms,
  endMs: r.end_ms,
  duration90k: r.duration_90k,
  path: r.path,
  bytes: r.bytes,
  frames: r.frames,
  codec: r.codec,
  keyframes: (JSON.parse(r.keyframes) as [number, number][]).map(([time90k, offset]) => ({ time90k, offset })),
  open: r.open === 1,
});

const keyframesJson = (keyframes: readonly KeyframePosition[]) => JSON.stringify(keyframes.map((k) => [k.time90k, k.offset]));

export function createRecordingsStore(db: Database): RecordingsStore {
  const q = {
    insert: db.prepare(
      `INSERT INTO recordings (camera_id, start_ms, end_ms, duration_90k, path, bytes, frames, codec, keyframes, open)
       VALUES (@cameraId, @startMs, @endMs, @duration90k, @path, @bytes, @frames, @codec, @keyframes, @open)`,
    ),
    update: db.prepare(
      `UPDATE recordings SET end_ms = @endMs, duration_90k = @duration90k, bytes = @bytes, frames = @frames,
                             keyframes = @keyframes, open = @open
       WHERE id = @id`,
    ),
    get: db.prepare<[number], Row>('SELECT * FROM recordings WHERE id = ?'),
    byPath: db.prepare<[string], Row>('SELECT * FROM recordings WHERE path = ?'),
    forCamera: db.prepare<[number, number, number], Row>(
      'SELECT * FROM recordings WHERE camera_id = ? AND end_ms > ? AND start_ms < ? ORDER BY start_ms, id',
    ),
    all: db.prepare<[], Row>('SELECT * FROM recordings ORDER BY start_ms, id'),
    totalBytes: db.prepare<[], { bytes: number }>('SELECT COALESCE(SUM(bytes), 0) AS bytes FROM recordings'),
    perCameraDay: db.prepare<[number], CameraDayBytes>(
      // A JS number binds as a real: the cast keeps the day a whole number.
      `SELECT camera_id AS cameraId, CAST((start_ms + ?) / 86400000 AS INTEGER) AS day, SUM(bytes) AS bytes
       FROM recordings GROUP BY camera_id, day ORDER BY day, camera_id`,
    ),
    delete: db.prepare('DELETE FROM recordings WHERE id = ?'),
  };
  return {
    insert(recording) {
      const params = { ...recording, keyframes: keyframesJson(recording.keyframes), open: Number(recording.open) };
      return Number(q.insert.run(params).lastInsertRowid);
    },
    update(id, progress) {
      q.update.run({ ...progress, id, keyframes: keyframesJson(progress.keyframes), open: Number(progress.open) });
    },
    get(id) {
      const r = q.get.get(id);
      return r && fromRow(r);
    },
    findByPath(path) {
      const r = q.byPath.get(path);
      return r && fromRow(r);
    },
    listForCamera: (cameraId, fromMs, toMs) => q.forCamera.all(cameraId, fromMs, toMs).map(fromRow),
    listAll: () => q.all.all().map(fromRow),
    totalBytes: () => q.totalBytes.get()!.bytes,
    bytesPerCameraDay: (utcOffsetMinutes) => q.perCameraDay.all(utcOffsetMinutes * 60_000),
    delete(id) {
      q.delete.run(id);
    },
  };
}
