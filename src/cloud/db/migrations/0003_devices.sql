-- Recorders bound to accounts (device binding, issue 11). A row exists while a device is bound:
-- unbinding deletes it, so the serial is free for its next owner.
CREATE TABLE devices (
  serial             TEXT PRIMARY KEY,
  -- the recorder's Ed25519 device key (SPKI PEM), recorded at binding: later connections claiming
  -- this serial must sign their challenge with it
  public_key         TEXT NOT NULL,
  model              TEXT NOT NULL,
  -- one owner per device
  owner_account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  -- the per-device secret agreed at binding, sealed under DIR/keys/device-secrets.key for this serial
  secret_sealed      BYTEA NOT NULL,
  bound_at           BIGINT NOT NULL
);
CREATE INDEX devices_by_owner ON devices (owner_account_id, bound_at);
