import { PGlite, type Transaction } from '@electric-sql/pglite';
import { int8ToNumber, PG_TYPE, type CloudDatabase, type Queryable } from './database.js';

type PgliteSession = Pick<PGlite, 'query' | 'exec'> | Transaction;

function queryable(session: PgliteSession): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await session.query<Row>(sql, [...params]);
      // PGlite counts the rows a statement changed, and none for a SELECT: answer as pg does.
      return { rows: result.rows, rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
    },
    async exec(script: string) {
      await session.exec(script);
    },
  };
}

/**
 * The embedded PostgreSQL (PostgreSQL compiled to WebAssembly), its files in `dataDir`, or in
 * memory without one. One connection: PGlite runs one statement or transaction at a time, and
 * queues the rest, so a transaction here is never interleaved with anything else.
 */
export async function openPgliteDatabase(dataDir?: string): Promise<CloudDatabase> {
  const pglite = new PGlite({
    dataDir,
    parsers: {
      [PG_TYPE.int8]: int8ToNumber,
      // Text form `\x0102...`; a Buffer, as pg gives, rather than PGlite's plain Uint8Array.
      [PG_TYPE.bytea]: (text: string) => Buffer.from(text.slice(2), 'hex'),
    },
  });
  await pglite.waitReady;
  return {
    engine: 'pglite',
    ...queryable(pglite),
    transaction: (work) => pglite.transaction((tx) => work(queryable(tx))),
    close: () => pglite.close(),
  };
}
