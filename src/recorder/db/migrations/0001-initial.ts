// Schema version 1: the device, its accounts and their sessions. Released: never edit, add 0002.
export default /* sql */ `
CREATE TABLE device (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  serial           TEXT NOT NULL,
  model            TEXT NOT NULL,
  label_code_hash  TEXT NOT NULL,
  server_secret    BLOB NOT NULL,
  manufactured_at  INTEGER NOT NULL,
  activated_at     INTEGER
);

CREATE TABLE users (
  id                   INTEGER PRIMARY KEY,
  username             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  role                 TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
  password_hash        TEXT NOT NULL,
  password_changed_at  INTEGER NOT NULL,
  created_at           INTEGER NOT NULL
);

CREATE TABLE sessions (
  id               TEXT PRIMARY KEY,
  token_hash       TEXT NOT NULL UNIQUE,
  user_id          INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at       INTEGER NOT NULL,
  created_ip       TEXT NOT NULL,
  user_agent       TEXT NOT NULL,
  last_seen_at     INTEGER NOT NULL,
  last_seen_ip     TEXT NOT NULL,
  revoked_at       INTEGER,
  revoked_reason   TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id, revoked_at);
`;
