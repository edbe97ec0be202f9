-- The cloud's accounts and what the security core keeps for them (its ports, src/identity/*-store.ts).
-- Times are milliseconds since 1970 (the core's numbers), ids of accounts 64-bit integers.

CREATE TABLE accounts (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Lower-case. An account has an email address, a phone number (E.164) or both.
  email          TEXT UNIQUE,
  phone          TEXT UNIQUE,
  username       TEXT UNIQUE,
  password_hash  TEXT NOT NULL,
  -- Null until the code sent to the address was entered: the account cannot be used before.
  verified_at    BIGINT,
  created_at     BIGINT NOT NULL,
  CHECK (email IS NOT NULL OR phone IS NOT NULL)
);

-- Bearer tokens are never stored, only their hash.
CREATE TABLE sessions (
  id              TEXT PRIMARY KEY,
  token_hash      TEXT NOT NULL UNIQUE,
  account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at      BIGINT NOT NULL,
  created_ip      TEXT NOT NULL,
  user_agent      TEXT NOT NULL,
  last_seen_at    BIGINT NOT NULL,
  last_seen_ip    TEXT NOT NULL,
  revoked_at      BIGINT,
  revoked_reason  TEXT
);
CREATE INDEX sessions_by_account ON sessions (account_id, created_at) WHERE revoked_at IS NULL;

CREATE TABLE login_attempts (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- 'user:<id>' for an account, 'name:<lower-case name>' for a name no account has
  account_key  TEXT NOT NULL,
  client_kind  TEXT NOT NULL CHECK (client_kind IN ('address', 'device')),
  -- the source address, or the random id of a device cookie
  client_id    TEXT NOT NULL,
  at           BIGINT NOT NULL,
  ok           BOOLEAN NOT NULL,
  -- true when the attempt reached a password check (counts toward the unknown-client hourly budget)
  guess        BOOLEAN NOT NULL
);
CREATE INDEX login_attempts_by_client ON login_attempts (account_key, client_kind, client_id, at);
CREATE INDEX login_attempts_by_time ON login_attempts (at);
CREATE INDEX login_attempts_unknown_guesses ON login_attempts (account_key, at)
  WHERE client_kind = 'address' AND NOT ok AND guess;

-- The per-source throttle's attempt times (a restart or another instance must not hand out a fresh budget).
CREATE TABLE source_attempts (
  id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  source  TEXT NOT NULL,
  at      BIGINT NOT NULL
);
CREATE INDEX source_attempts_by_source ON source_attempts (source, at);
CREATE INDEX source_attempts_by_time ON source_attempts (at);

-- One-time codes sent by mail or SMS: only their HMAC is kept.
CREATE TABLE sent_codes (
  request_id  TEXT PRIMARY KEY,
  -- set only when something was really sent to an account's address (null for a decoy)
  account_id  BIGINT REFERENCES accounts (id) ON DELETE CASCADE,
  channel     TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
  code_hmac   TEXT,
  lock_scope  TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT
);
CREATE INDEX sent_codes_by_account ON sent_codes (account_id, created_at);

CREATE TABLE reset_grants (
  token_hash  TEXT PRIMARY KEY,
  account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  method      TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  used_at     BIGINT
);
CREATE INDEX reset_grants_by_account ON reset_grants (account_id) WHERE used_at IS NULL;

-- Wrong pieces of evidence in a row, per kind of evidence and scope (e.g. codes of one account).
CREATE TABLE method_locks (
  method         TEXT NOT NULL,
  scope          TEXT NOT NULL,
  failures       INTEGER NOT NULL,
  blocked_until  BIGINT,
  updated_at     BIGINT NOT NULL,
  PRIMARY KEY (method, scope)
);

CREATE TABLE totp_factors (
  account_id     BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  -- sealed under the cloud's two-factor key, never in clear
  secret_sealed  BYTEA NOT NULL,
  created_at     BIGINT NOT NULL,
  confirmed_at   BIGINT,
  -- the last time step accepted: a code of it or an earlier one is a replay
  last_step      BIGINT NOT NULL DEFAULT -1
);

CREATE TABLE recovery_codes (
  account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- keyed hash of the code
  code_hash   TEXT NOT NULL,
  used_at     BIGINT,
  PRIMARY KEY (account_id, code_hash)
);

-- The audit log: each entry's hash (an HMAC under a key kept outside the database) links it to the one before.
CREATE TABLE audit_log (
  seq             BIGINT PRIMARY KEY,
  at              BIGINT NOT NULL,
  type            TEXT NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'info')),
  actor_user_id   BIGINT,
  actor_username  TEXT,
  source_ip       TEXT,
  target          TEXT,
  details         TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_actor ON audit_log (actor_user_id, at);

-- Where the chain ends: removing entries from the end shows as a head that points past them.
CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   BIGINT NOT NULL,
  hash  TEXT NOT NULL
);
