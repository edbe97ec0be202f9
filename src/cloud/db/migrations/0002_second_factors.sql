-- Second factors beyond TOTP and recovery codes, and the short-lived challenges of their ceremonies
-- (the security core's factor-store.ts, challenge-store.ts and policy-store.ts).

-- Passkeys and security keys (WebAuthn credentials).
CREATE TABLE passkeys (
  id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id     BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- base64url, as the authenticator names it: one account at most may register it
  credential_id  TEXT NOT NULL UNIQUE,
  name           TEXT NOT NULL,
  public_key     BYTEA NOT NULL,
  -- the authenticator's signature counter at its last use (0 for one that does not count)
  counter        BIGINT NOT NULL,
  transports     TEXT[] NOT NULL,
  created_at     BIGINT NOT NULL,
  last_used_at   BIGINT
);
CREATE INDEX passkeys_by_account ON passkeys (account_id, id);

-- The login step between a right password and a second factor: only the token's hash is kept.
CREATE TABLE second_factor_challenges (
  token_hash          TEXT PRIMARY KEY,
  account_id          BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  created_at          BIGINT NOT NULL,
  expires_at          BIGINT NOT NULL,
  failures            INTEGER NOT NULL,
  ended_at            BIGINT,
  webauthn_challenge  TEXT
);
CREATE INDEX second_factor_challenges_by_expiry ON second_factor_challenges (expires_at);

-- A passkey registration under way: one per account.
CREATE TABLE passkey_registrations (
  account_id  BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
  challenge   TEXT NOT NULL,
  rp_id       TEXT NOT NULL,
  expires_at  BIGINT NOT NULL
);

-- "Everyone must use two-factor authentication": one row once set.
CREATE TABLE two_factor_policy (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  required    BOOLEAN NOT NULL,
  updated_at  BIGINT NOT NULL
);
