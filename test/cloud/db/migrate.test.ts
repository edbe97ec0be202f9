import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CloudDatabase } from '../../../src/cloud/db/database.js';
import { DatabaseNewerError, loadMigrations, migrate, schemaVersion, type Migration } from '../../../src/cloud/db/migrate.js';
import { openPostgresDatabase } from '../../../src/cloud/db/postgres.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';

const NOTES: Migration = { version: 1, name: 'notes', sql: 'CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL);' };
const TAGS: Migration = { version: 2, name: 'tags', sql: 'ALTER TABLE notes ADD COLUMN tag TEXT;' };
const BROKEN: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE tags (id INTEGER); SELECT no_such_function();' };

// One PostgreSQL server for the file (it starts in about a second, PGlite takes seconds to open);
// each test in a schema of its own. The contract suites run these migrations on PGlite too.
let server: TestPostgres;
let db: CloudDatabase;
let url: string;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());
const tables = async () =>
  (await db.query<{ tablename: string }>('SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename')).rows.map((r) => r.tablename);

describe('the migration runner', () => {
  beforeEach(async () => {
    url = await server.freshSchemaUrl();
    db = await openPostgresDatabase(url);
  });
  afterEach(() => db.close());

  it('brings a new database to the newest version, recording each one, and a second run changes nothing', async () => {
    expect(await migrate(db, [NOTES], 1000)).toEqual({ version: 1, applied: [1] });
    await db.query("INSERT INTO notes (id, text) VALUES (1, 'kept')");
    expect(await migrate(db, [NOTES, TAGS], 2000)).toEqual({ version: 2, applied: [2] });
    expect(await migrate(db, [NOTES, TAGS], 3000)).toEqual({ version: 2, applied: [] });
    expect((await db.query('SELECT version, name, applied_at FROM schema_migrations ORDER BY version')).rows).toEqual([
      { version: 1, name: 'notes', applied_at: 1000 },
      { version: 2, name: 'tags', applied_at: 2000 },
    ]);
    expect((await db.query('SELECT id, text, tag FROM notes')).rows).toEqual([{ id: 1, text: 'kept', tag: null }]);
    expect(await schemaVersion(db)).toBe(2);
  });

  it('refuses a database newer than the code, and leaves it as it was', async () => {
    await migrate(db, [NOTES, TAGS]);
    const error = await migrate(db, [NOTES]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseNewerError);
    expect(error).toMatchObject({ databaseVersion: 2, codeVersion: 1 });
    expect((error as Error).message).toContain('schema version 2, newer than this Vigil knows (1)');
    expect(await schemaVersion(db)).toBe(2);
  });

  it('a migration that fails leaves no part of itself, nor of the ones before it in the same run', async () => {
    await expect(migrate(db, [NOTES, BROKEN])).rejects.toThrow(/no_such_function/);
    expect(await tables()).toEqual([]);
    await migrate(db, [NOTES]);
    await expect(migrate(db, [NOTES, BROKEN])).rejects.toThrow(/no_such_function/);
    expect(await tables()).toEqual(['notes', 'schema_migrations']);
    expect(await schemaVersion(db)).toBe(1);
  });

  it('instances that start at once take turns: each version is applied once', async () => {
    const others = await Promise.all([openPostgresDatabase(url), openPostgresDatabase(url)]);
    try {
      const results = await Promise.all([db, ...others].map((instance) => migrate(instance, [NOTES, TAGS])));
      expect(results.map((r) => r.applied).sort()).toEqual([[], [], [1, 2]]);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });

  it('the cloud\'s own migrations apply to an empty database', async () => {
    const shipped = loadMigrations();
    expect(shipped.map((m) => m.version)).toEqual(shipped.map((_, i) => i + 1));
    expect(await migrate(db)).toEqual({ version: shipped.length, applied: shipped.map((m) => m.version) });
    expect(await tables()).toEqual(expect.arrayContaining(['accounts', 'audit_log', 'audit_head', 'sessions', 'schema_migrations']));
  });
});

describe('the migrations folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-migrations-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('is read in order of the numbers', () => {
    writeFileSync(join(dir, '0002_second.sql'), 'SELECT 2;');
    writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, 'README.md'), 'not a migration');
    expect(loadMigrations(dir)).toEqual([
      { version: 1, name: 'first', sql: 'SELECT 1;' },
      { version: 2, name: 'second', sql: 'SELECT 2;' },
    ]);
  });

  it('refuses a gap in the numbers and a file named otherwise', () => {
    writeFileSync(join(dir, '0001_first.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '0003_third.sql'), 'SELECT 3;');
    expect(() => loadMigrations(dir)).toThrow(/0003_third\.sql should be numbered 2/);
    rmSync(join(dir, '0003_third.sql'));
    writeFileSync(join(dir, '0002-Second.sql'), 'SELECT 2;');
    expect(() => loadMigrations(dir)).toThrow(/0002-Second\.sql is not named like 0001_what_it_does\.sql/);
  });
});
