import type { Database } from 'better-sqlite3';

/** A camera's motion event on the recorder's clock (see migration 0018); `endMs` null while it goes on. */
export interface MotionEvent {
  id: number;
  cameraId: number;
  startMs: number;
  endMs: number | null;
}

/** The motion events. Nothing else writes SQL about them. */
export interface MotionEventsStore {
  /** Opens an event; its id ends it. */
  start(cameraId: number, startMs: number): number;
  /** Ends an open event (never before its start); an event already ended stays as it is. */
  end(id: number, endMs: number): void;
  /** A camera's events that overlap [fromMs, toMs) (an open one lasts until now), oldest first, at most `limit`. */
  listForCamera(cameraId: number, fromMs: number, toMs: number, limit: number): MotionEvent[];
  /**
   * Ends the events a crash left open, at their start: when the motion stopped is not known, and
   * an event must not claim motion nobody saw. Returns how many.
   */
  endLeftOpen(): number;
}

interface Row {
  id: number;
  camera_id: number;
  start_ms: number;
  end_ms: number | null;
}

const fromRow = (r: Row): MotionEvent => ({ id: r.id, cameraId: r.camera_id, startMs: r.start_ms, endMs: r.end_ms });

export function createMotionEventsStore(db: Database): MotionEventsStore {
  const q = {
    start: db.prepare<[number, number], { id: number }>('INSERT INTO motion_events (camera_id, start_ms) VALUES (?, ?) RETURNING id'),
    end: db.prepare<[number, number]>('UPDATE motion_events SET end_ms = max(start_ms, ?) WHERE id = ? AND end_ms IS NULL'),
    list: db.prepare<[number, number, number, number], Row>(
      `SELECT * FROM motion_events WHERE camera_id = ? AND start_ms < ? AND (end_ms IS NULL OR end_ms >= ?)
       ORDER BY start_ms LIMIT ?`,
    ),
    endLeftOpen: db.prepare('UPDATE motion_events SET end_ms = start_ms WHERE end_ms IS NULL'),
  };
  return {
    start: (cameraId, startMs) => q.start.get(cameraId, startMs)!.id,
    end(id, endMs) {
      q.end.run(endMs, id);
    },
    listForCamera: (cameraId, fromMs, toMs, limit) => q.list.all(cameraId, toMs, fromMs, limit).map(fromRow),
    endLeftOpen: () => q.endLeftOpen.run().changes,
  };
}
