// Schema version 4: login attempts per (account, client), so a restart does not lift a lockout.
// Released: never edit, add a new version.
export default /* sql */ `
CREATE TABLE login_attempts (
  id           INTEGER PRIMARY KEY,
  -- 'user:<id>' for an account, 'name:<lower-case name>' for a name no account has
  account_key  TEXT NOT NULL,
  client_kind  TEXT NOT NULL CHECK (client_kind IN ('address', 'device')),
  -- the source address, or the random id of a device cookie
  client_id    TEXT NOT NULL,
  at           INTEGER NOT NULL,
  ok           INTEGER NOT NULL CHECK (ok IN (0, 1)),
  -- 1 when the attempt reached a password check (counts toward the unknown-client hourly budget)
  guess        INTEGER NOT NULL CHECK (guess IN (0, 1))
);
CREATE INDEX login_attempts_by_client ON login_attempts (account_key, client_kind, client_id, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);
-- The hourly budget's count, read on every login by an unknown client: a range, not a scan of the account's rows.
CREATE INDEX login_attempts_unknown_guesses ON login_attempts (account_key, at)
  WHERE client_kind = 'address' AND ok = 0 AND guess = 1;
`;
