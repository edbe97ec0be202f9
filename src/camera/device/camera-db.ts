import Database from 'better-sqlite3';

/**
 * The camera's database: its identity (one row), its accounts and its audit log. Only the stores
 * beside this file write SQL. One process owns the file: each store method is one statement or one
 * transaction, so each is atomic.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS device (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  serial           TEXT NOT NULL,
  model            TEXT NOT NULL,
  -- argon2id of the label code's canonical form: the code itself is only on the sticker
  label_code_hash  TEXT NOT NULL,
  manufactured_at  INTEGER NOT NULL,
  -- NULL while inactive: no account, no stream
  activated_at     INTEGER
);
CREATE TABLE IF NOT EXISTS accounts (
  id               INTEGER PRIMARY KEY,
  username         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  level            TEXT NOT NULL CHECK (level IN ('Administrator', 'Operator', 'User')),
  -- argon2id, for the protocols that send the password itself
  password_hash    TEXT NOT NULL,
  -- the password sealed under keys/secret.key, for the digests (WS-UsernameToken, HTTP and RTSP Digest)
  sealed_password  BLOB NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
  seq              INTEGER PRIMARY KEY,
  at               INTEGER NOT NULL,
  type             TEXT NOT NULL,
  outcome          TEXT NOT NULL,
  actor_user_id    INTEGER,
  actor_username   TEXT,
  source_ip        TEXT,
  target           TEXT,
  details          TEXT NOT NULL,
  prev_hash        TEXT NOT NULL,
  hash             TEXT NOT NULL
);
-- Kept apart from the entries, so removing the last entries shows as a head mismatch.
CREATE TABLE IF NOT EXISTS audit_head (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  seq              INTEGER NOT NULL,
  hash             TEXT NOT NULL
);
`;

export type CameraDatabase = Database.Database;

export function openCameraDb(path: string): CameraDatabase {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}
