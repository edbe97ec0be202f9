// Schema version 3: one-time passwords and per-user permission grants. Released: never edit, add a new version.
export default /* sql */ `
-- Set while the user's password is one an admin issued: it must be changed at the next login,
-- and it stops working at this time (ms since the epoch). NULL: a password the user chose.
ALTER TABLE users ADD COLUMN one_time_password_expires_at INTEGER;

-- Grants on top of the user's role. resource is 'device', or 'camera:<id>' with 'camera:*' for
-- every camera, present and future.
CREATE TABLE user_permissions (
  user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  resource  TEXT NOT NULL,
  action    TEXT NOT NULL,
  PRIMARY KEY (user_id, resource, action)
) WITHOUT ROWID;
`;
