import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertAccount } from '../../src/cloud/db/accounts.js';
import { loadMigrations } from '../../src/cloud/db/migrate.js';
import { cloudPaths } from '../../src/cloud/data-dir.js';
import { startCloud, type RunningCloud } from '../../src/cloud/daemon.js';
import { createLogger } from '../../src/shared/logger.js';
import { httpsGet } from '../helpers/https.js';
import { startPostgres, type TestPostgres } from '../helpers/postgres.js';

// The cloud daemon in this process, served over real HTTP(S): on its embedded database in a data
// directory, and on a real PostgreSQL server.
const LATEST = loadMigrations().length;
const quiet = createLogger({ level: 'silent' });

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'vigil-cloud-'));
  return () => rmSync(root, { recursive: true, force: true });
});

async function health(cloud: RunningCloud): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${cloud.url}/api/v1/health`);
  return { status: res.status, body: await res.json() };
}

describe('the cloud on its embedded database', () => {
  it('keeps its data in the data directory across a restart, and migrates only once', async () => {
    const dataDir = join(root, 'data');
    const first = await startCloud({ dataDir, listen: { host: '127.0.0.1', port: 0 }, logger: quiet });
    let accountId: number;
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.database).toBe(`embedded PostgreSQL (PGlite) in ${cloudPaths(dataDir).database}`);
      expect(await health(first)).toEqual({ status: 200, body: { status: 'ok', database: { engine: 'pglite', schemaVersion: LATEST } } });
      accountId = await insertAccount(first.db, { email: 'owner@example.com', phone: null, username: null, passwordHash: 'hash' }, 1000);
      // One process at a time on the embedded database's files.
      await expect(startCloud({ dataDir, listen: { host: '127.0.0.1', port: 0 }, logger: quiet })).rejects.toThrow(
        `A cloud is running on ${dataDir} (pid ${process.pid}): stop it first.`,
      );
    } finally {
      await first.close();
    }
    const second = await startCloud({ dataDir, listen: { host: '127.0.0.1', port: 0 }, logger: quiet });
    try {
      expect((await second.db.query('SELECT id, email FROM accounts')).rows).toEqual([{ id: accountId, email: 'owner@example.com' }]);
      expect((await second.db.query('SELECT count(*) AS n FROM schema_migrations')).rows).toEqual([{ n: LATEST }]);
      expect((await health(second)).status).toBe(200);
    } finally {
      await second.close();
    }
    expect(existsSync(cloudPaths(dataDir).lock)).toBe(false);
  }, 180_000); // two PGlite starts, the first with initdb: seconds alone, a minute on 2 loaded cores
});

describe('the cloud on a PostgreSQL server', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(() => server?.stop());

  let cloud: RunningCloud | undefined;
  afterEach(async () => {
    await cloud?.close();
    cloud = undefined;
  });

  it('answers its health with the server as its database, and 404 in the API\'s error format elsewhere', async () => {
    cloud = await startCloud({ dataDir: join(root, 'data'), listen: { host: '127.0.0.1', port: 0 }, databaseUrl: await server.freshSchemaUrl(), logger: quiet });
    expect(cloud.database).toMatch(/^PostgreSQL server at 127\.0\.0\.1:\d+\/postgres$/);
    expect(await health(cloud)).toEqual({ status: 200, body: { status: 'ok', database: { engine: 'postgres', schemaVersion: LATEST } } });
    const missing = await fetch(`${cloud.url}/api/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'Nothing at GET /api/v1/nothing.' } });
  });

  it('serves HTTPS off loopback, with a certificate it makes once and keeps in the data directory', async () => {
    const dataDir = join(root, 'data');
    cloud = await startCloud({ dataDir, listen: { host: '0.0.0.0', port: 0 }, databaseUrl: await server.freshSchemaUrl(), logger: quiet });
    expect(cloud.https).toBe(true);
    const ca = readFileSync(cloudPaths(dataDir).tlsCert, 'utf8');
    const res = await httpsGet(`${cloud.url}/api/v1/health`, ca);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    await expect(fetch(`${cloud.url.replace('https:', 'http:')}/api/v1/health`)).rejects.toThrow();
    await cloud.close();
    cloud = await startCloud({ dataDir, listen: { host: '0.0.0.0', port: 0 }, databaseUrl: await server.freshSchemaUrl(), logger: quiet });
    expect(readFileSync(cloudPaths(dataDir).tlsCert, 'utf8')).toBe(ca);
    expect((await httpsGet(`${cloud.url}/api/v1/health`, ca)).status).toBe(200);
  });

  it('answers 503 when its database stops answering', async () => {
    const own = await startPostgres();
    try {
      cloud = await startCloud({ dataDir: join(root, 'data'), listen: { host: '127.0.0.1', port: 0 }, databaseUrl: own.url, logger: quiet });
      expect((await health(cloud)).status).toBe(200);
    } finally {
      await own.stop();
    }
    expect(await health(cloud)).toEqual({ status: 503, body: { error: { code: 'database_unavailable', message: 'The database does not answer.' } } });
  });
});
