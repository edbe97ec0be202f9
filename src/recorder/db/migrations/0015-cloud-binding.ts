// Schema version 15: the binding to a cloud account (issue 11). Released: never edit, add a new version.
export default /* sql */ `
-- At most one row: the cloud this recorder is bound to. Removed by an unbind or a factory reset
-- (a restore of the defaults keeps it, as it keeps the accounts).
CREATE TABLE cloud_binding (
  id                    INTEGER PRIMARY KEY CHECK (id = 1),
  -- where the recorder connects (wss:// or ws://)
  cloud_url             TEXT NOT NULL,
  -- the cloud's Ed25519 public key (SPKI PEM), pinned at binding: authorisations must be signed by it
  cloud_public_key      TEXT NOT NULL,
  -- the secret agreed with the cloud at binding, sealed under the settings key for this serial
  device_secret_sealed  BLOB NOT NULL,
  -- who owns it, as the cloud names the account for people (a masked address)
  owner_label           TEXT NOT NULL,
  bound_at              INTEGER NOT NULL
);

-- Nonces of the cloud's remote-reset authorisations already used: kept so that a restart does not
-- make a used one good again; rows past their expiry can go (an expired one is refused anyway).
CREATE TABLE cloud_reset_nonces (
  nonce       TEXT PRIMARY KEY,
  expires_at  INTEGER NOT NULL,
  used_at     INTEGER NOT NULL
);
`;
