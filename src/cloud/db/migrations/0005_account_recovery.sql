-- Account recovery for an owner who lost every second factor (src/cloud/recovery/): a request that
-- waits, notifies every address of the account daily, and ends by removing the account's second
-- factors unless the owner logs in or cancels it first.

CREATE TABLE account_recoveries (
  id                 TEXT PRIMARY KEY,
  account_id         BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- SHA-256 of the cancel token the notices carry (the token is derived from the id under the codes key)
  cancel_token_hash  TEXT NOT NULL UNIQUE,
  opened_at          BIGINT NOT NULL,
  ends_at            BIGINT NOT NULL,
  -- when the last notice went out: the next one is due a day later
  last_notice_at     BIGINT NOT NULL,
  cancelled_at       BIGINT,
  -- 'owner_login' or 'cancel_link'
  cancelled_reason   TEXT,
  completed_at       BIGINT
);
-- At most one waiting request per account.
CREATE UNIQUE INDEX account_recoveries_open ON account_recoveries (account_id) WHERE cancelled_at IS NULL AND completed_at IS NULL;
