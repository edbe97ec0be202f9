// Schema version 17: keeping and rotating cameras' own passwords (issue 13). Released: never edit, add a new version.
export default /* sql */ `
-- device_url: the camera's ONVIF device service, where its password is changed; NULL for a camera
-- added by its RTSP address alone (the recorder cannot change that one's password).
ALTER TABLE cameras ADD COLUMN device_url TEXT;

-- A rotation's new password, sealed like password_sealed (same purpose, bound to the camera's id) and
-- kept BEFORE the camera is asked to take it: until a login with it is verified, the camera may hold
-- either one, so both are kept. NULL when no change is under way or undecided.
ALTER TABLE cameras ADD COLUMN password_pending_sealed BLOB;
ALTER TABLE cameras ADD COLUMN password_pending_since INTEGER;
-- When the current password was last set by the recorder (activation counts from the row's creation).
ALTER TABLE cameras ADD COLUMN password_changed_at INTEGER;

-- The admin's rotation schedule: one row; every_days NULL is off (the default).
CREATE TABLE camera_password_schedule (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  every_days  INTEGER CHECK (every_days IS NULL OR every_days BETWEEN 1 AND 3650),
  updated_at  INTEGER NOT NULL
);
`;
