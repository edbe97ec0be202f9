import { afterAll, beforeAll } from 'vitest';
import type { CloudDatabase } from '../../../src/cloud/db/database.js';
import { migrate } from '../../../src/cloud/db/migrate.js';
import { openPgliteDatabase } from '../../../src/cloud/db/pglite.js';
import { freshCloudAdapter } from '../../helpers/cloud-db.js';
import { describePortContract } from '../../identity/contract/index.js';

// The cloud's adapters of the security core's ports on the embedded PostgreSQL (in memory here;
// `vigil cloud` keeps its files in the data directory).
let db: CloudDatabase;
beforeAll(async () => {
  db = await openPgliteDatabase();
  await migrate(db);
});
afterAll(() => db.close());

describePortContract('PGlite (cloud)', () => freshCloudAdapter(db));
