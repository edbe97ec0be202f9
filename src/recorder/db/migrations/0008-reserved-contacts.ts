// Schema version 8: the reserved email address and phone number of an admin, the password hint,
// the codes mailed or texted for recovery, and the SMS gateway that texts them.
// Released: never edit, add a new version.
export default /* sql */ `
-- One row per (account, channel): the verified address, and a new one waiting for its code. An
-- unverified address is never used for recovery. Addresses are stored normalised (an email lower-
-- cased, a phone number as + and digits), so a request compares them exactly.
CREATE TABLE reserved_contacts (
  user_id              INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  channel              TEXT NOT NULL CHECK (channel IN ('email', 'phone')),
  verified_address     TEXT,
  verified_at          INTEGER,
  pending_address      TEXT,
  -- HMAC of the setup code under a key outside the database; wrong tries per pending code.
  pending_code_hmac    TEXT,
  pending_expires_at   INTEGER,
  pending_failures     INTEGER NOT NULL DEFAULT 0,
  updated_at           INTEGER NOT NULL,
  PRIMARY KEY (user_id, channel)
);

-- Sealed (AES-GCM, key outside the database): it is mailed back, so it cannot be a hash.
CREATE TABLE recovery_hints (
  user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  hint_sealed  BLOB NOT NULL,
  updated_at   INTEGER NOT NULL
);

-- Every recovery request for a code, and every hint sent. user_id is set only when something was
-- really sent: the send budget per account counts those rows, so a restart does not reset it. A
-- code is stored as an HMAC bound to its request id, usable once, until expires_at. A request that
-- sent nothing (unknown user, other address, budget spent) is kept too, without a code, so that
-- wrong codes against it are counted and blocked exactly like wrong codes against a real one:
-- lock_scope is the account's ('user:<id>') when the address was the account's, else one derived
-- from the username and address asked for.
CREATE TABLE contact_recovery_requests (
  request_id   TEXT PRIMARY KEY,
  user_id      INTEGER REFERENCES users (id) ON DELETE CASCADE,
  channel      TEXT NOT NULL CHECK (channel IN ('email', 'phone')),
  code_hmac    TEXT,
  lock_scope   TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);
CREATE INDEX contact_recovery_requests_by_user ON contact_recovery_requests (user_id, created_at);
CREATE INDEX contact_recovery_requests_by_time ON contact_recovery_requests (created_at);

CREATE TABLE sms_gateway_settings (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  enabled       INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  url           TEXT NOT NULL,
  -- The Authorization header value, sealed like the SMTP password; never returned by the API.
  auth_sealed   BLOB,
  updated_at    INTEGER NOT NULL
);
`;
