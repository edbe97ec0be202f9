import { afterAll, beforeAll, expect, it } from 'vitest';
import { insertAccount } from '../../../src/cloud/db/accounts.js';
import { migrate } from '../../../src/cloud/db/migrate.js';
import { openPostgresDatabase } from '../../../src/cloud/db/postgres.js';
import { sendBudget } from '../../../src/cloud/db/send-budget.js';
import { MAX_SENDS_PER_HOUR } from '../../../src/identity/codes/code-rules.js';
import { randomToken } from '../../../src/shared/secrets.js';
import { startPostgres, type TestPostgres } from '../../helpers/postgres.js';

// On a real server, where concurrent transactions really run at once on separate connections.
let server: TestPostgres;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(() => server?.stop());

it('of 20 concurrent sends to one account, only the budget\'s worth are stored as sent', async () => {
  const db = await openPostgresDatabase(await server.freshSchemaUrl(), { maxConnections: 20 });
  try {
    await migrate(db);
    const accountId = await insertAccount(db, { email: 'busy@example.com', phone: null, username: null, passwordHash: 'x' }, 0);
    const budget = sendBudget(db);
    const now = 1_000_000;
    const code = (sent: boolean) => ({
      requestId: randomToken(18),
      accountId: sent ? accountId : null,
      channel: 'email' as const,
      codeHmac: sent ? randomToken(32) : null,
      lockScope: `account:${accountId}:email`,
      createdAt: now,
      expiresAt: now + 900_000,
      usedAt: null,
    });
    const results = await Promise.all(Array.from({ length: 20 }, () => budget.reserve(accountId, now - 3_600_000, code(true), code(false))));
    expect(results.filter(Boolean)).toHaveLength(MAX_SENDS_PER_HOUR);
    const { rows } = await db.query('SELECT count(*) AS sent, count(*) FILTER (WHERE account_id IS NULL) AS unsent FROM sent_codes');
    expect(rows).toEqual([{ sent: 20, unsent: 20 - MAX_SENDS_PER_HOUR }]);
  } finally {
    await db.close();
  }
});
