// Schema version 12: the index of recorded video. Released: never edit, add a new version.
export default /* sql */ `
-- One row per segment file (about a minute of one camera's video, fragmented MP4). The writer
-- updates the row only after the file's bytes are on disk (fsync), so the row never describes
-- more than the file holds; 'vigil recorder check' rebuilds rows from files after a crash.
-- camera_id names a camera without a foreign key: footage outlives a camera's removal until
-- retention deletes it.
CREATE TABLE recordings (
  id            INTEGER PRIMARY KEY,
  camera_id     INTEGER NOT NULL,
  -- Wall-clock time of the first frame, and of the end of the last (ms since the epoch).
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER NOT NULL,
  -- Exact length on the camera's 90 kHz clock (end_ms is rounded).
  duration_90k  INTEGER NOT NULL,
  -- Relative to the footage directory: <camera>/<YYYY-MM-DD>/<start_ms>.mp4
  path          TEXT NOT NULL UNIQUE,
  -- Length of the file's whole fragments: the init segment and every fragment the row counts.
  bytes         INTEGER NOT NULL,
  frames        INTEGER NOT NULL,
  -- RFC 6381 codec string (avc1.64001f): the MIME type of playback streams.
  codec         TEXT NOT NULL,
  -- JSON [[time_90k, byte_offset], ...]: each fragment that starts with a keyframe, time from start_ms.
  keyframes     TEXT NOT NULL,
  -- 1 while a writer appends to the file.
  open          INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX recordings_by_camera_time ON recordings (camera_id, start_ms);
CREATE INDEX recordings_by_start ON recordings (start_ms);
`;
