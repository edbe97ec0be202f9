// Schema version 14: failed attempts per source address (the per-source throttle), so a restart
// does not lift a block. Released: never edit, add a new version.
export default /* sql */ `
CREATE TABLE source_attempts (
  id          INTEGER PRIMARY KEY,
  -- the source address
  source      TEXT NOT NULL,
  at          INTEGER NOT NULL
);
CREATE INDEX source_attempts_by_source ON source_attempts (source, at);
CREATE INDEX source_attempts_by_time ON source_attempts (at);
`;
