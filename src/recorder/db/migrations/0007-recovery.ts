// Schema version 7: what every recovery path shares: reset grants, per-method blocks after repeated
// failures, and the admin's recovery settings. Each path's own evidence comes in its own migration.
// Released: never edit, add a new version.
export default /* sql */ `
-- A grant lets its holder set a new password for one account, once, within minutes. Only the
-- SHA-256 of the token is kept: a copy of the database does not let anyone use a live grant.
CREATE TABLE recovery_grants (
  token_hash   TEXT PRIMARY KEY,
  user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  method       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);

-- Wrong evidence per (method, scope): scope is an account ('user:<id>') or the device ('device').
-- Kept in the database so that a restart does not lift a block.
CREATE TABLE recovery_method_locks (
  method         TEXT NOT NULL,
  scope          TEXT NOT NULL,
  failures       INTEGER NOT NULL,
  blocked_until  INTEGER,
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (method, scope)
);

CREATE TABLE recovery_settings (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  -- The weak paths (reserved email or phone, security questions) answer only LAN addresses.
  weak_paths_lan_only   INTEGER NOT NULL CHECK (weak_paths_lan_only IN (0, 1)),
  updated_at            INTEGER NOT NULL
);
`;
