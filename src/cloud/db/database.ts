/**
 * The cloud's one way to its database, whichever engine holds it: the embedded PGlite (the default,
 * so one command runs the cloud) or a PostgreSQL server (`--database postgres://...`). Both speak
 * the same SQL; the drivers make them answer alike (64-bit integers as numbers, bytea as Buffers),
 * so an adapter written against this interface runs on either.
 */

export interface QueryResult<Row> {
  rows: Row[];
  /** Rows the statement inserted, updated or deleted (or returned, for a SELECT). */
  rowCount: number;
}

export interface Queryable {
  /** One statement, with `$1`, `$2`... bound to `params`. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
  /** A script of several statements without parameters (a migration). */
  exec(script: string): Promise<void>;
}

export type DatabaseEngine = 'pglite' | 'postgres';

export interface CloudDatabase extends Queryable {
  readonly engine: DatabaseEngine;
  /**
   * Runs `work` in one transaction on one connection: committed when it resolves, rolled back when
   * it throws. Everything inside goes through `tx`: the database itself may be waiting for it.
   */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres type ids whose text form both drivers turn into the same JavaScript values. */
export const PG_TYPE = { int8: 20, bytea: 17 } as const;

/**
 * A 64-bit integer as a number. Every one the cloud stores is an id or a time in milliseconds,
 * far below 2^53; a larger one is refused rather than rounded.
 */
export function int8ToNumber(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`a 64-bit integer beyond 2^53 cannot be read as a number: ${text}`);
  return n;
}
