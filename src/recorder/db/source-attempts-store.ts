import type { Database } from 'better-sqlite3';
import type { AttemptTimes } from '../../identity/lockout/attempt-throttle.js';
import type { SourceAttemptStore } from '../../identity/lockout/source-attempt-store.js';

/**
 * The per-source throttle's attempt times, in the database: a restart must not hand an attacker a
 * fresh budget. Each call is one statement on an indexed range of a few rows.
 */
export function createSourceAttemptsStore(db: Database): AttemptTimes {
  const q = {
    times: db.prepare<[string], { at: number }>('SELECT at FROM source_attempts WHERE source = ? ORDER BY at, id'),
    dropUpTo: db.prepare('DELETE FROM source_attempts WHERE source = ? AND at <= ?'),
    insert: db.prepare('INSERT INTO source_attempts (source, at) VALUES (?, ?)'),
    removeOne: db.prepare(
      'DELETE FROM source_attempts WHERE id = (SELECT id FROM source_attempts WHERE source = ? AND at = ? ORDER BY id DESC LIMIT 1)',
    ),
    clear: db.prepare('DELETE FROM source_attempts WHERE source = ?'),
    forgetBefore: db.prepare('DELETE FROM source_attempts WHERE at < ?'),
  };
  const add = db.transaction((source: string, at: number, dropUpTo: number) => {
    q.dropUpTo.run(source, dropUpTo);
    q.insert.run(source, at);
  });
  return {
    times: (source) => q.times.all(source).map((r) => r.at),
    add: (source, at, dropUpTo) => add(source, at, dropUpTo),
    removeOne(source, at) {
      q.removeOne.run(source, at);
    },
    clear(source) {
      q.clear.run(source);
    },
    forgetBefore(before) {
      q.forgetBefore.run(before);
    },
  };
}

/**
 * The per-source attempt times as the security core's port. `reserve` adds and reads back without
 * a pause between, and one process owns the database: so the pair is atomic.
 */
export function sourceAttemptPort(times: AttemptTimes): SourceAttemptStore {
  return {
    times: async (key) => times.times(key),
    reserve: async (key, at, dropUpTo) => {
      times.add(key, at, dropUpTo);
      return times.times(key);
    },
    removeOne: async (key, at) => times.removeOne(key, at),
    clear: async (key) => times.clear(key),
    forgetBefore: async (before) => times.forgetBefore(before),
  };
}
