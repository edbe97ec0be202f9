// Schema version 16: the cloud reset's offline challenges and waiting period (issue 11). Released:
// never edit, add a new version.
export default /* sql */ `
-- The offline remote reset's challenges. At most one is open (closed_at NULL, not expired); the
-- nonce is no secret (the response code computed from it is), so it is kept as it is shown. A
-- right code, the fifth wrong one or a new binding closes it: kept in the database so that a
-- restart does not open it again.
CREATE TABLE cloud_offline_challenges (
  nonce          TEXT PRIMARY KEY,
  created_at     INTEGER NOT NULL,
  expires_at     INTEGER NOT NULL,
  failures       INTEGER NOT NULL DEFAULT 0,
  closed_at      INTEGER,
  -- 'used', 'too_many_failures'
  closed_reason  TEXT
);

-- A cloud reset (online or offline) waiting for the admin's waiting period to end. Whoever asked
-- holds a token (only its SHA-256 is kept) that buys a reset grant once the wait is over, unless an
-- admin or the owner at the LAN cancelled it first.
CREATE TABLE cloud_pending_resets (
  token_hash     TEXT PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- 'online', 'offline'
  via            TEXT NOT NULL,
  requested_at   INTEGER NOT NULL,
  effective_at   INTEGER NOT NULL,
  cancelled_at   INTEGER,
  claimed_at     INTEGER
);

-- The admin's waiting period for cloud resets: hours a reset through the cloud account waits,
-- cancellable, before it takes effect; no row (or 0) is none, the default. A restore of the defaults
-- keeps it, as it keeps the rest of the recovery set-up.
CREATE TABLE cloud_reset_settings (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  wait_hours  INTEGER NOT NULL CHECK (wait_hours BETWEEN 0 AND 720),
  updated_at  INTEGER NOT NULL
);
`;
