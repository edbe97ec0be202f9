import pg from 'pg';
import { int8ToNumber, PG_TYPE, type CloudDatabase, type Queryable } from './database.js';

type PgSession = Pick<pg.Pool, 'query'> | pg.PoolClient;

function queryable(session: PgSession): Queryable {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await session.query<Row & pg.QueryResultRow>(sql, [...params]);
      return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
    },
    async exec(script: string) {
      // Without parameters pg sends the simple query protocol, which runs several statements.
      await session.query(script);
    },
  };
}

const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === PG_TYPE.int8 ? int8ToNumber : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

export interface PostgresOptions {
  /** Connections kept open at most (each concurrent transaction holds one). */
  maxConnections?: number;
  /** An idle connection that broke (the server restarted, a network cut): the pool drops it and opens another. */
  onIdleError?: (error: Error) => void;
}

/** A PostgreSQL server at `url` (postgres://user:password@host:port/database), through a pool of connections. */
export async function openPostgresDatabase(url: string, options: PostgresOptions = {}): Promise<CloudDatabase> {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, types });
  pool.on('error', (error) => options.onIdleError?.(error));
  // Fail here, with the server's reason, rather than at the first request.
  (await pool.connect()).release();
  return {
    engine: 'postgres',
    ...queryable(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(queryable(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => {
          broken = rollbackError; // the connection itself failed: do not hand it out again
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}
