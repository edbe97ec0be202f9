// Schema version 2: the audit log. Released: never edit, add a new version.
export default /* sql */ `
CREATE TABLE audit_log (
  seq             INTEGER PRIMARY KEY,
  at              INTEGER NOT NULL,
  type            TEXT NOT NULL,
  outcome         TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'info')),
  actor_user_id   INTEGER,
  actor_username  TEXT,
  source_ip       TEXT,
  target          TEXT,
  details         TEXT NOT NULL,
  prev_hash       TEXT NOT NULL,
  hash            TEXT NOT NULL
);
CREATE INDEX audit_by_time ON audit_log (at);
CREATE INDEX audit_by_type ON audit_log (type, at);
CREATE INDEX audit_by_actor ON audit_log (actor_username, at);

-- The newest entry's sequence number and hash, written in the same transaction as the entry:
-- deleting entries from the end of audit_log leaves this pointing past them.
CREATE TABLE audit_head (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  seq   INTEGER NOT NULL,
  hash  TEXT NOT NULL
);
`;
