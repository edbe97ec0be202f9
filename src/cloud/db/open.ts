import type { CloudDatabase } from './database.js';
import { openPgliteDatabase } from './pglite.js';
import { openPostgresDatabase } from './postgres.js';

/** Where the cloud's data lives: a PostgreSQL server, or the embedded one's files in a directory. */
export type DatabaseSource = { url: string } | { dir: string };

export function openCloudDatabase(source: DatabaseSource): Promise<CloudDatabase> {
  return 'url' in source ? openPostgresDatabase(source.url) : openPgliteDatabase(source.dir);
}

/** The server's address without its password (or user), for the startup line and the logs. */
export function describeDatabase(source: DatabaseSource): string {
  if ('dir' in source) return `embedded PostgreSQL (PGlite) in ${source.dir}`;
  const url = new URL(source.url);
  return `PostgreSQL server at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
}
