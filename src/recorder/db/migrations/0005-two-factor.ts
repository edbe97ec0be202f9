// Schema version 5: two-factor authentication. Released: never edit, add a new version.
export default /* sql */ `
-- One authenticator app per user. The secret is encrypted with a key kept outside the database;
-- confirmed_at is NULL while enrolment waits for the first code. last_step is the newest time
-- step accepted, so each code works once.
CREATE TABLE totp_factors (
  user_id          INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret_sealed    BLOB NOT NULL,
  created_at       INTEGER NOT NULL,
  confirmed_at     INTEGER,
  last_step        INTEGER NOT NULL DEFAULT -1
);

-- Single-use recovery codes, stored only as keyed hashes.
CREATE TABLE recovery_codes (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash   TEXT NOT NULL,
  used_at     INTEGER,
  UNIQUE (user_id, code_hash)
);

-- Passkeys and security keys (WebAuthn). credential_id is base64url; the counter is checked on use.
CREATE TABLE webauthn_credentials (
  id             INTEGER PRIMARY KEY,
  user_id        INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  credential_id  TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  public_key     BLOB NOT NULL,
  counter        INTEGER NOT NULL,
  transports     TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  last_used_at   INTEGER
);
CREATE INDEX webauthn_by_user ON webauthn_credentials (user_id);

-- A passkey registration in progress: the challenge the authenticator must sign, one per user.
CREATE TABLE webauthn_registrations (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  challenge   TEXT NOT NULL,
  rp_id       TEXT NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- The login step between a right password and a second factor. Only the token's hash is kept;
-- webauthn_challenge is what a passkey must sign for this login (NULL if the user has none).
CREATE TABLE second_factor_challenges (
  token_hash          TEXT PRIMARY KEY,
  user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at          INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  failures            INTEGER NOT NULL DEFAULT 0,
  ended_at            INTEGER,
  webauthn_challenge  TEXT
);

CREATE TABLE two_factor_policy (
  id         INTEGER PRIMARY KEY CHECK (id = 1),
  required   INTEGER NOT NULL CHECK (required IN (0, 1)),
  changed_at INTEGER NOT NULL
);
`;
