// Schema version 6: security mail (SMTP settings, a notification address per user), the password-age
// reminder and the login allow-list. Released: never edit, add a new version.
export default /* sql */ `
-- Where a user's security mails go. Not a recovery address: recovery addresses are verified and
-- arrive with the recovery issue; this one only receives notices.
ALTER TABLE users ADD COLUMN notification_email TEXT;

CREATE TABLE mail_settings (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  enabled          INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  host             TEXT NOT NULL,
  port             INTEGER NOT NULL,
  security         TEXT NOT NULL CHECK (security IN ('none', 'starttls', 'tls')),
  username         TEXT NOT NULL,
  -- AES-256-GCM under a key file outside the database (keys/settings.key); NULL when there is none.
  password_sealed  BLOB,
  sender           TEXT NOT NULL,
  updated_at       INTEGER NOT NULL
);

CREATE TABLE login_rules (
  id                      INTEGER PRIMARY KEY CHECK (id = 1),
  -- NULL: no reminder (the default; forced rotation makes people choose weaker passwords).
  max_password_age_days   INTEGER,
  allow_list_enabled      INTEGER NOT NULL CHECK (allow_list_enabled IN (0, 1)),
  -- JSON array of addresses and CIDR ranges.
  allow_list              TEXT NOT NULL,
  updated_at              INTEGER NOT NULL
);
`;
