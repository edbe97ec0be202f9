import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../shared/package-info.js';
import type { CloudDatabase } from './database.js';
import { lockKeyUntilCommit } from './key-lock.js';

/** One numbered SQL file of `migrations/`: `0001_accounts_and_identity.sql` is version 1. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Read from the source tree, which a built Vigil runs beside: tsc copies no .sql into dist/. */
export const MIGRATIONS_DIR = join(packageRoot(), 'src', 'cloud', 'db', 'migrations');

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migrations in `dir`, in order; numbered 1, 2, 3... with no gap, or an error says which is wrong. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file, index) => {
      const match = FILE_NAME.exec(file);
      if (!match) throw new Error(`${join(dir, file)} is not named like 0001_what_it_does.sql`);
      const version = Number(match[1]);
      if (version !== index + 1) throw new Error(`${join(dir, file)} should be numbered ${index + 1}: migrations are numbered without gaps`);
      return { version, name: match[2]!, sql: readFileSync(join(dir, file), 'utf8') };
    });
  return migrations;
}

export class DatabaseNewerError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database is at schema version ${databaseVersion}, newer than this Vigil knows (${codeVersion}): ` +
        'run the Vigil that upgraded it, or a newer one. Nothing was changed.',
    );
  }
}

export interface MigrationResult {
  /** The schema version the database is at now. */
  version: number;
  /** Versions this call applied (none when it was up to date). */
  applied: number[];
}

const CREATE_VERSIONS_TABLE = `
CREATE TABLE IF NOT EXISTS schema_migrations (
  version     INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  applied_at  BIGINT NOT NULL
)`;

/**
 * Brings the database to the newest schema the code knows, in one transaction: a failing migration
 * leaves it as it was. Instances starting at once take turns (a lock), so each version runs once.
 * A database already newer than the code is refused, untouched: old code on a new schema could
 * write what the new one no longer expects.
 */
export async function migrate(db: CloudDatabase, migrations: Migration[] = loadMigrations(), now = Date.now()): Promise<MigrationResult> {
  const known = migrations.length;
  return db.transaction(async (tx) => {
    await lockKeyUntilCommit(tx, 'vigil:schema_migrations');
    await tx.exec(CREATE_VERSIONS_TABLE);
    const { rows } = await tx.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    const applied = new Set(rows.map((r) => r.version));
    const newest = rows.at(-1)?.version ?? 0;
    if (newest > known) throw new DatabaseNewerError(newest, known);
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, now]);
    }
    return { version: known, applied: pending.map((m) => m.version) };
  });
}

/** The schema version of a migrated database: one indexed read, also a check that the database answers. */
export async function schemaVersion(db: Pick<CloudDatabase, 'query'>): Promise<number> {
  const { rows } = await db.query<{ version: number }>('SELECT coalesce(max(version), 0) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
}
