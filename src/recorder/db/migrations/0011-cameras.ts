// Schema version 11: the camera list. Released: never edit, add a new version.
export default /* sql */ `
-- One row per camera. AUTOINCREMENT: a removed camera's id is never given to a new one, because
-- its recordings are kept and refer to it by id (and so may grants on it in user_permissions).
-- url never holds credentials: they are split out into username and password_sealed (AES-GCM,
-- see identity/sealing/secret-box.ts, bound to the camera's id). probed_* is what the last probe measured.
CREATE TABLE cameras (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  name             TEXT NOT NULL,
  url              TEXT NOT NULL,
  username         TEXT,
  password_sealed  BLOB,
  transport        TEXT NOT NULL CHECK (transport IN ('tcp', 'udp')),
  enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  probed_codec     TEXT CHECK (probed_codec IN ('h264', 'h265')),
  probed_width     INTEGER,
  probed_height    INTEGER,
  probed_fps       REAL,
  probed_bitrate   INTEGER,
  probed_at        INTEGER
);
`;
