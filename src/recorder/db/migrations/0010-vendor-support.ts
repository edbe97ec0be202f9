// Schema version 10: the vendor support path. Released: never edit, add a new version.
export default /* sql */ `
-- One row per reset request the recorder exported (for any typed username: which ones are
-- accounts is not recorded). A signed response from support is accepted once, for the request it
-- names: used_at is set in the transaction that issues the reset grant. Kept in the database so
-- that a reboot does not make a used response good again.
CREATE TABLE support_reset_requests (
  nonce_hash    TEXT PRIMARY KEY,
  request_hash  TEXT NOT NULL,
  username      TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  used_at       INTEGER
);
`;
