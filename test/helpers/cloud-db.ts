// The cloud's database as the security core's contract suite wants it: one database per test file
// (opening PGlite takes seconds, starting PostgreSQL about one), migrated once, and emptied before
// each test, so every test starts on a fresh, empty store.
import { randomBytes } from 'node:crypto';
import { insertAccount } from '../../src/cloud/db/accounts.js';
import type { CloudDatabase } from '../../src/cloud/db/database.js';
import { identityPorts } from '../../src/cloud/db/identity/index.js';
import type { IdentityAdapter } from '../identity/contract/index.js';

/**
 * Deletes every row of every table but the record of migrations. DELETE rather than TRUNCATE:
 * PGlite takes a third of a second to truncate these tables (new files for each), and ids need not
 * restart.
 */
export async function emptyDatabase(db: CloudDatabase): Promise<void> {
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migrations'",
  );
  await db.exec(rows.map((r) => `DELETE FROM "${r.tablename}";`).join('\n'));
}

/** The cloud's adapters over `db` emptied, with the two accounts the suite asks for. */
export async function freshCloudAdapter(db: CloudDatabase): Promise<IdentityAdapter> {
  await emptyDatabase(db);
  const account = (email: string) => insertAccount(db, { email, phone: null, username: null, passwordHash: 'unused' }, 0);
  const auditKey = randomBytes(32);
  return {
    ...identityPorts(db, auditKey),
    auditKey,
    accounts: [await account('alice@example.com'), await account('bob@example.com')],
    async passwordHashOf(accountId) {
      const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM accounts WHERE id = $1', [accountId]);
      return rows[0]!.password_hash;
    },
    // The database outlives the test: the file closes it once, after its last test.
    close: async () => {},
  };
}
