// Schema version 18: motion events from cameras' ONVIF event services, and motion-only recording
// (issue 13). Released: never edit, add a new version.
export default /* sql */ `
-- Motion events are subscribed at the camera's ONVIF device service, cameras.device_url (version 17).

-- 'continuous' (the default) records everything; 'motion' keeps only the footage around motion
-- events (see media/recording/README.md, "Motion-only recording").
ALTER TABLE cameras ADD COLUMN recording_mode TEXT NOT NULL DEFAULT 'continuous' CHECK (recording_mode IN ('continuous', 'motion'));

-- One row per motion event, on the recorder's clock. end_ms is NULL while the motion goes on. No
-- foreign key: like recordings, a removed camera's events are kept (its id is never reused).
CREATE TABLE motion_events (
  id         INTEGER PRIMARY KEY,
  camera_id  INTEGER NOT NULL,
  start_ms   INTEGER NOT NULL,
  end_ms     INTEGER CHECK (end_ms IS NULL OR end_ms >= start_ms)
);
CREATE INDEX motion_events_by_camera ON motion_events (camera_id, start_ms);
`;
