import { afterAll, beforeAll } from 'vitest';
import type { CloudDatabase } from '../../../src/cloud/db/database.js';
import { migrate } from '../../../src/cloud/db/migrate.js';
import { openPostgresDatabase } from '../../../src/cloud/db/postgres.js';
import { freshCloudAdapter } from '../../helpers/cloud-db.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { describePortContract } from '../../identity/contract/index.js';

// The cloud's adapters of the security core's ports on a real PostgreSQL server, through a pool of
// connections: here concurrent calls really run at once, on separate connections.
let server: TestPostgres;
let db: CloudDatabase;
beforeAll(async () => {
  server = await startPostgres();
  db = await openPostgresDatabase(server.url);
  await migrate(db);
});
afterAll(async () => {
  await db?.close();
  await server?.stop();
});

describePortContract('PostgreSQL (cloud)', () => freshCloudAdapter(db));
