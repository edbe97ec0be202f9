// Schema version 9: the evidence of two recovery paths, the security questions and the recovery key
// file, and how long wrong answers to the questions block that path.
// Released: never edit, add a new version.
export default /* sql */ `
-- Three questions per admin account. The answers are normalised and hashed with argon2, one hash per
-- answer: they are never stored or shown in clear.
CREATE TABLE security_questions (
  user_id       INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- JSON arrays of three strings each.
  questions     TEXT NOT NULL,
  answer_hashes TEXT NOT NULL,
  updated_at    INTEGER NOT NULL
);

-- One recovery key file per admin account; a new file replaces the old one. Only an HMAC of the
-- 256-bit secret (bound to the serial and the account) is kept. A used key stays, marked used, until
-- a new file is exported.
CREATE TABLE recovery_keys (
  user_id     INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  key_hash    TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  used_at     INTEGER
);

ALTER TABLE recovery_settings ADD COLUMN question_block_minutes INTEGER NOT NULL DEFAULT 30
  CHECK (question_block_minutes BETWEEN 1 AND 1440);
`;
